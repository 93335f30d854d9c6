import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { useSession } from './session/session';

/** The Developers page's reads and writes; every write invalidates ['webhooks'] so lists refresh. */

export function useWebhookEndpoints() {
  const { api } = useSession();
  return useQuery({ queryKey: ['webhooks', 'endpoints'], queryFn: ({ signal }) => api.listWebhookEndpoints(signal) });
}

export function useWebhookDeliveries(endpointId: number, cursor: string | undefined) {
  const { api } = useSession();
  return useQuery({
    queryKey: ['webhooks', 'deliveries', endpointId, cursor ?? null],
    queryFn: ({ signal }) => api.listWebhookDeliveries(endpointId, cursor, signal),
  });
}

export function useWebhookMutations() {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  return {
    create: useMutation({
      mutationFn: (input: { url: string; description: string | undefined }) =>
        api.createWebhookEndpoint(input.url, input.description),
      onSuccess: invalidate,
    }),
    remove: useMutation({ mutationFn: (id: number) => api.deleteWebhookEndpoint(id), onSuccess: invalidate }),
    rotate: useMutation({ mutationFn: (id: number) => api.rotateWebhookSecret(id), onSuccess: invalidate }),
    retry: useMutation({
      mutationFn: (input: { endpointId: number; deliveryId: number }) =>
        api.retryWebhookDelivery(input.endpointId, input.deliveryId),
      onSuccess: invalidate,
    }),
  };
}
