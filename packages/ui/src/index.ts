/**
 * @paygate/ui: what the web app and the operator console share. Problems decoded from API errors, money
 * and time formatting, and the React pieces both render. Imports @paygate/domain (pure helpers) and React;
 * never an app. The stylesheet is a separate import: `import '@paygate/ui/styles.css'`.
 */
export * from './problems';
export * from './money';
export * from './format';
export * from './cursor-stack';
export * from './components/StatusBadge';
export * from './components/ProblemAlert';
export * from './components/Shell';
export * from './components/Pagination';
export * from './components/Modal';
