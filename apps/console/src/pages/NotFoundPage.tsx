import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <>
      <title>Not found · Paygate Console</title>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        This address is not a page of the console. <Link to="/">Go to the overview</Link> or{' '}
        <Link to="/payments">search payments</Link>.
      </p>
    </>
  );
}
