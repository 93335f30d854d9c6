import { OPERATOR_PASSWORD_LENGTH_MAX } from '@paygate/contracts';
import { EMAIL_LENGTH_MAX } from '@paygate/domain/limits';
import { describeProblem, problemOf } from '@paygate/ui';
import { useMutation } from '@tanstack/react-query';
import type { SubmitEvent } from 'react';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';

import { Problem } from '../components/Problem';
import { SESSION_ENDED_MESSAGE, useSession } from '../session';

interface FieldErrors {
  email: string | null;
  password: string | null;
}

const NO_ERRORS: FieldErrors = { email: null, password: null };

/**
 * Email + password -> POST /api/v1/admin/auth/login. The API answers with the operator and sets the
 * httpOnly session cookie; the password is sent once and kept nowhere.
 */
export function LoginPage() {
  const { operator, notice, checkProblem, api, logIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>(NO_ERRORS);
  const login = useMutation({
    mutationFn: (input: { email: string; password: string }) => api.login(input.email, input.password),
    onSuccess: (loggedIn) => {
      setPassword('');
      logIn(loggedIn);
      void navigate(returnPath(location.state), { replace: true });
    },
  });

  if (operator !== null && operator !== undefined) return <Navigate to={returnPath(location.state)} replace />;

  function onSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (login.isPending) return;
    const errors = checkFields(email.trim(), password);
    setFieldErrors(errors);
    if (errors.email !== null || errors.password !== null) return;
    login.mutate({ email: email.trim(), password });
  }

  const problem = login.error === null ? null : problemOf(login.error);

  return (
    <main className="auth auth--console" id="main">
      <title>Log in · Paygate Console</title>
      <div className="auth__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            P
          </span>
          Paygate Console
        </div>
        <h1 className="auth__title">Operator log in</h1>
        <p className="muted">For Paygate operators. Your account comes from an administrator (the paygate CLI).</p>
        {notice !== null && (
          <p
            className={`alert ${notice === SESSION_ENDED_MESSAGE ? 'alert--warning' : 'alert--info'}`}
            role={notice === SESSION_ENDED_MESSAGE ? 'alert' : 'status'}
            data-testid="login-notice"
          >
            {notice}
          </p>
        )}
        {checkProblem !== null && problem === null && (
          <p className="alert alert--warning" role="alert" data-testid="login-check-problem">
            Could not check your session: {describeProblem(checkProblem)}
          </p>
        )}
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
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              maxLength={OPERATOR_PASSWORD_LENGTH_MAX}
              value={password}
              aria-invalid={fieldErrors.password !== null}
              aria-describedby={fieldErrors.password === null ? undefined : 'login-password-error'}
              data-testid="login-password"
              onChange={(event) => setPassword(event.target.value)}
            />
            {fieldErrors.password !== null && (
              <p id="login-password-error" className="field__error" role="alert">
                {fieldErrors.password}
              </p>
            )}
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
        {problem !== null && (
          <Problem
            error={login.error}
            testId="login-error"
            message={problem.kind === 'unauthorized' ? 'The email or password is not correct.' : undefined}
          />
        )}
      </div>
    </main>
  );
}

function checkFields(email: string, password: string): FieldErrors {
  return {
    email:
      email === ''
        ? 'Enter your email.'
        : /^[^\s@]+@[^\s@]+$/.test(email)
          ? null
          : 'Enter an email such as ops@example.com.',
    password: password === '' ? 'Enter your password.' : null,
  };
}

/** Where RequireOperator was sent from; only an in-app path, so the state can never redirect elsewhere. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state && typeof state.from === 'string') {
    if (state.from.startsWith('/') && !state.from.startsWith('//') && !state.from.startsWith('/login'))
      return state.from;
  }
  return '/';
}
