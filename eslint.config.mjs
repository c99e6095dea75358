import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Dependency direction (architecture.md): app → server/api → server/services → server/db.
// A wrong arrow is a lint error, not a review comment.
const noDbOutsideServices = {
  group: ["@/server/db/*", "@/server/db/**"],
  message: "Only server/services (and server/testing, scripts) touch the database. Go through a service.",
};
const noPlatformDb = {
  group: ["@/server/db/platform-db", "@/server/services/platform/**"],
  message: "Tenant code must not use the unscoped platform handle or platform services.",
};
const noServerInClient = {
  group: ["@/server/**", "!@/server/api/root"],
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
    rules: { "no-restricted-imports": ["error", { patterns: [noDbOutsideServices] }] },
  },
  {
    files: ["server/api/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServices] }] },
  },
  {
    files: ["server/services/tenant/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noPlatformDb] }] },
  },
  {
    files: [
      "server/api/routers/members.ts",
      "server/api/routers/roles.ts",
      "server/api/routers/billing.ts",
      "server/api/routers/workspace.ts",
      "server/api/routers/account.ts",
      "server/api/routers/audit.ts",
      "app/t/**/*.{ts,tsx}",
    ],
    rules: { "no-restricted-imports": ["error", { patterns: [noApp, noDbOutsideServices, noPlatformDb] }] },
  },
  {
    files: ["components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [noApp, { ...noServerInClient, allowTypeImports: true }] }],
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
