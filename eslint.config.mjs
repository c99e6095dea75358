import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Dependency direction (docs/ARCHITECTURE.md): app → server/api → server/<domain> → server/db.
// A wrong arrow is a lint error, not a review comment. The rules follow folders and file suffixes,
// never hand-kept lists, so a new domain or router is covered the day it is created:
//   *.admin.ts   the operator console   (may use the unscoped platform handle)
//   *.jobs.ts    scheduled cross-tenant work (may use the platform handle)
//   *.public.ts  entry points before a tenant session: sign-in, sign-up, pay page, webhooks, health
// Every other file under server/<domain>/ is tenant code: TenantDb (RLS) only.
const noDbOutsideServer = {
  group: ["@/server/db/*", "@/server/db/**"],
  message: "Only server/<domain> code (and server/testing, scripts) touches the database. Go through a service.",
};
const noPlatform = {
  group: ["@/server/db/platform-db", "@/server/**/*.admin", "@/server/**/*.jobs", "@/server/**/*.public"],
  message:
    "Tenant code reaches the database only through TenantDb: the platform handle and *.admin / *.jobs / *.public modules are for the console, scheduled jobs and pre-tenant entry points.",
};
const noConsole = {
  group: ["@/server/db/platform-db", "@/server/**/*.admin", "@/server/**/*.jobs"],
  message: "Workspace pages must not use the unscoped platform handle, console (*.admin) or job (*.jobs) modules.",
};
// a regex, not a group: a gitignore-style "!@/server/api/root" cannot re-include a file under an excluded folder
const noServerInClient = {
  // (relative paths that climb into server/ are refused too)
  regex: "^@/server/(?!api/root$)|^(\\.\\.?/)+(.*/)?server/",
  message: "Client components reach the server only through tRPC hooks (import type of the router).",
};
const noApp = { group: ["@/app/**"], message: "Nothing imports from app/." };

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Playwright fixtures call their continuation `use`; it is not React's hook
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "server/db/generated/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [noApp] }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServer] }] },
  },
  {
    files: ["app/**/t/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServer, noConsole] }] },
  },
  {
    // tenant domain code: everything under server/ except the suffixed entry points, the request
    // layer that composes them (server/core, server/api/*.ts), the database itself and test support
    files: ["server/**/*.{ts,tsx}"],
    ignores: [
      "server/**/*.admin.ts",
      "server/**/*.jobs.ts",
      "server/**/*.public.ts",
      "server/core/**",
      "server/api/*.ts",
      "server/db/**",
      "server/testing/**",
    ],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noPlatform] }] },
  },
  {
    files: ["server/api/*.ts", "server/api/routers/*.admin.ts", "server/api/routers/*.public.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServer] }] },
  },
  {
    files: ["server/api/routers/*.ts"],
    ignores: ["server/api/routers/*.admin.ts", "server/api/routers/*.public.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServer, noPlatform] }] },
  },
  {
    files: ["components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    rules: {
      // nothing from server/ at all (not even a type: rows are RouterOutputs from lib/trpc), except the router's type
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noApp,
            noServerInClient,
            {
              group: ["@/server/api/root"],
              allowTypeImports: true,
              message: "Only the router's type (import type { AppRouter }) crosses to the client.",
            },
          ],
        },
      ],
    },
  },
  {
    // UI strings come from the message catalogs (km + en), never from JSX literals.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["app/global-error.tsx"],
    rules: {
      "react/jsx-no-literals": [
        "error",
        { noStrings: true, ignoreProps: true, allowedStrings: ["·", "(", ")", "→", "404", ":", "/", "—", "-", "*", " "] },
      ],
    },
  },
];

export default config;
