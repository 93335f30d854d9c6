import { API_KEY_LENGTH_MAX, EMAIL_LENGTH_MAX } from '@paygate/domain/limits';
import type { ApiProblem } from '@paygate/ui';
import { ProblemAlert, problemOf } from '@paygate/ui';
import { useMutation } from '@tanstack/react-query';
import type { SubmitEvent } from 'react';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { SESSION_ENDED_MESSAGE, useSession } from '../session/session';

interface FieldErrors {
  email: string | null;
  apiKey: string | null;
}

const NO_ERRORS: FieldErrors = { email: null, apiKey: null };

/** Email + API key -> POST /auth/login, which sets the session cookie. The key is kept nowhere, never in a URL. */
export function LoginPage() {
  const { user, notice, api, logIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>(NO_ERRORS);
  const login = useMutation({
    mutationFn: (input: { email: string; apiKey: string }) => api.login(input.email, input.apiKey),
    onSuccess: (loggedIn) => {
      // The answer set the session cookie; the key itself is dropped here and kept nowhere.
      logIn(loggedIn);
      void navigate(returnPath(location.state), { replace: true });
    },
    onError: (error) => setFieldErrors(serverFieldErrors(problemOf(error))),
  });

  if (user !== null) return <Navigate to={returnPath(location.state)} replace />;

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (login.isPending) return;
    const errors = checkFields(email.trim(), apiKey.trim());
    setFieldErrors(errors);
    if (errors.email !== null || errors.apiKey !== null) return;
    login.mutate({ email: email.trim(), apiKey: apiKey.trim() });
  }

  const problem = login.error === null ? null : problemOf(login.error);
  const bannerProblem = problem !== null && problem.kind !== 'validation' ? problem : null;

  return (
    <main className="auth" id="main">
      <title>Log in · Paygate</title>
      <div className="auth__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            P
          </span>
          Paygate
        </div>
        <h1 className="auth__title">Log in</h1>
        <p className="muted">Use the email and API key of your Paygate account.</p>
        {notice !== null && (
          <p
            className={`alert ${notice === SESSION_ENDED_MESSAGE ? 'alert--warning' : 'alert--info'}`}
            role={notice === SESSION_ENDED_MESSAGE ? 'alert' : 'status'}
            data-testid="login-notice"
          >
            {notice}
          </p>
        )}
        {/* method="post": even if script were missing, the browser would never put the key in a query string. */}
        <form method="post" noValidate onSubmit={onSubmit} data-testid="login-form">
          <div className="field">
            <label htmlFor="login-email">Email</label>
            <input
              id="login-email"
              name="email"
              type="email"
              autoComplete="username"
              maxLength={EMAIL_LENGTH_MAX}
              value={email}
              aria-invalid={fieldErrors.email !== null}
              aria-describedby={fieldErrors.email === null ? undefined : 'login-email-error'}
              data-testid="login-email"
              onChange={(event) => setEmail(event.target.value)}
            />
            {fieldErrors.email !== null && (
              <p id="login-email-error" className="field__error" role="alert">
                {fieldErrors.email}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="login-api-key">API key</label>
            <input
              id="login-api-key"
              name="api_key"
              type="password"
              autoComplete="current-password"
              spellCheck={false}
              maxLength={API_KEY_LENGTH_MAX}
              value={apiKey}
              aria-invalid={fieldErrors.apiKey !== null}
              aria-describedby={
                fieldErrors.apiKey === null ? 'login-api-key-hint' : 'login-api-key-error login-api-key-hint'
              }
              data-testid="login-api-key"
              onChange={(event) => setApiKey(event.target.value)}
            />
            {fieldErrors.apiKey !== null && (
              <p id="login-api-key-error" className="field__error" role="alert">
                {fieldErrors.apiKey}
              </p>
            )}
            <p id="login-api-key-hint" className="field__hint">
              Sent once to log in and kept nowhere: this tab holds only a session cookie, ended by Log out.
            </p>
          </div>
          <button
            type="submit"
            className="button button--primary button--block"
            disabled={login.isPending}
            data-testid="login-submit"
          >
            {login.isPending ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        {bannerProblem !== null && (
          <ProblemAlert
            problem={bannerProblem}
            testId="login-error"
            message={bannerProblem.kind === 'unauthorized' ? 'The email or API key is not correct.' : undefined}
          />
        )}
      </div>
    </main>
  );
}

function checkFields(email: string, apiKey: string): FieldErrors {
  return {
    email:
      email === ''
        ? 'Enter your email.'
        : /^[^\s@]+@[^\s@]+$/.test(email)
          ? null
          : 'Enter an email such as alice@example.com.',
    apiKey: apiKey === '' ? 'Enter your API key.' : null,
  };
}

function serverFieldErrors(problem: ApiProblem): FieldErrors {
  if (problem.kind !== 'validation') return NO_ERRORS;
  const find = (name: string) => problem.fields.find((field) => field.field === name)?.message ?? null;
  const errors = { email: find('email'), apiKey: find('api_key') };
  // A 422 we cannot place on a field still has to be seen.
  return errors.email === null && errors.apiKey === null ? { email: problem.message, apiKey: null } : errors;
}

/** Where RequireAuth was sent from; only an in-app path, so the state can never redirect elsewhere. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    if (state.from.startsWith('/') && !state.from.startsWith('//') && !state.from.startsWith('/login'))
      return state.from;
  }
  return '/';
}
