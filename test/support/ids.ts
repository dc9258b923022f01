// Relay global ids as the gateway encodes them (base64 of "<Type>:<id>"), for building and reading them in tests.
export const gid = (typename: string, id: number | string): string => Buffer.from(`${typename}:${id}`).toString('base64');

export const dbId = (globalId: string): number => Number(Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]);
