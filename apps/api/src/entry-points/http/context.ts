import type { Response } from 'express';

import type { User } from '@paygate/domain';

/** What the middleware learns about a request, kept on res.locals with types. */
export interface AuthContext {
  user: User;
  currency: string;
  /** How the request authenticated: an integrator's API key, or the web app's session cookie. */
  via: 'key' | 'session';
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      auth?: AuthContext;
    }
  }
}

export function authOf(res: Response): AuthContext {
  const auth = res.locals.auth;
  if (!auth) throw new Error('route reached without authentication');
  return auth;
}
