import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <>
      <title>Not found · Paygate</title>
      <div className="page-header">
        <h1 tabIndex={-1}>Page not found</h1>
      </div>
      <p data-testid="not-found">
        There is nothing at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}
