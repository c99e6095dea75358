// Stand-in for the `server-only` package under Vitest: the real one throws when imported
// outside a React Server Components bundle, which tests of server code are not.
export {};
