import type { TransactionType } from '@paygate/domain/transaction-status';
import { ProblemAlert, problemOf } from '@paygate/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useParams } from 'react-router';

import { parseTransactionId, transactionPath } from '../routes';
import { useSession } from '../session/session';
import { NotFoundPage } from './NotFoundPage';

/**
 * /transactions/:id, for links that do not know the type: the API answers 404 for the other type, so ask
 * for a deposit, then a withdrawal, and move to the typed address with the answer already cached.
 */
export function TransactionResolvePage() {
  const id = parseTransactionId(useParams().id);
  if (id === null) return <NotFoundPage />;
  return <Resolve id={id} />;
}

function Resolve({ id }: { id: number }) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const resolved = useQuery({
    queryKey: ['transaction-type', id],
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<TransactionType> => {
      for (const type of ['deposit', 'withdrawal'] as const) {
        try {
          const transaction = await api.getTransaction(type, id, signal);
          queryClient.setQueryData(['transaction', type, id], transaction);
          return type;
        } catch (error) {
          if (problemOf(error).kind !== 'not_found' || type === 'withdrawal') throw error;
        }
      }
      throw new Error('unreachable: the loop returns or throws');
    },
  });

  if (resolved.data !== undefined) return <Navigate to={transactionPath(resolved.data, id)} replace />;
  return (
    <>
      <title>{`Transaction #${id} · Paygate`}</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Transaction #{id}</h1>
      </div>
      {resolved.isError ? (
        <ProblemAlert
          problem={problemOf(resolved.error)}
          testId="detail-error"
          message={problemOf(resolved.error).kind === 'not_found' ? `We could not find transaction #${id}.` : undefined}
          onRetry={() => void resolved.refetch()}
        />
      ) : (
        <p className="muted">Looking up transaction #{id}…</p>
      )}
    </>
  );
}
