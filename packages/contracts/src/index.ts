export * from './amqp';
export * from './bank';
export * from './common';
export * from './issues';
export * from './system';
export * from './transactions';
export * from './users';
export * from './webhook';
