// The permission catalog and the default roles. Isomorphic: the server checks these codes in
// tRPC middleware, the UI uses the same `hasPermission` to hide or disable actions.

export const PERMISSIONS = [
  { code: "workspace.view", area: "workspace", description: "Open the workspace dashboard" },
  { code: "workspace.settings", area: "workspace", description: "Change workspace name, locale and Bakong account" },
  { code: "members.view", area: "members", description: "See the members list" },
  { code: "members.manage", area: "members", description: "Invite, deactivate and change roles of members" },
  { code: "roles.manage", area: "members", description: "Create and edit custom roles" },
  { code: "audit.view", area: "audit", description: "Read and export the workspace audit log" },
  { code: "billing.view", area: "billing", description: "See the subscription, plan and invoices" },
  { code: "billing.manage", area: "billing", description: "Change plan and pay subscription invoices" },
  { code: "properties.view", area: "rentals", description: "See properties and units" },
  { code: "properties.manage", area: "rentals", description: "Create and edit properties and units" },
  { code: "renters.view", area: "rentals", description: "See renters" },
  { code: "renters.manage", area: "rentals", description: "Create and edit renters" },
  { code: "contracts.view", area: "rentals", description: "See contracts" },
  { code: "contracts.manage", area: "rentals", description: "Create, activate and end contracts" },
  { code: "invoices.view", area: "money", description: "See rent invoices and payments" },
  { code: "invoices.manage", area: "money", description: "Issue and void rent invoices" },
  { code: "payments.record", area: "money", description: "Record rent payments" },
  { code: "reports.view", area: "money", description: "See the dashboard figures and reports" },
  { code: "files.private", area: "files", description: "Open private files (ID scans, signed contracts)" },
  { code: "messages.view", area: "messages", description: "See the message log" },
  { code: "messages.manage", area: "messages", description: "Retry messages and lift suppressed addresses" },
  { code: "templates.manage", area: "messages", description: "Override message templates" },
] as const;

export type PermissionCode = (typeof PERMISSIONS)[number]["code"];

export const ALL_PERMISSION_CODES: readonly PermissionCode[] = PERMISSIONS.map((p) => p.code);

const VIEW_CODES = ALL_PERMISSION_CODES.filter((c) => c.endsWith(".view"));

export type DefaultRoleKey = "owner" | "admin" | "manager" | "accountant" | "viewer";

export const DEFAULT_ROLES: Record<DefaultRoleKey, readonly PermissionCode[]> = {
  owner: ALL_PERMISSION_CODES,
  admin: ALL_PERMISSION_CODES.filter((c) => c !== "billing.manage"),
  manager: [
    ...VIEW_CODES.filter((c) => c !== "audit.view" && c !== "billing.view"),
    "properties.manage",
    "renters.manage",
    "contracts.manage",
    "invoices.manage",
    "payments.record",
    "files.private",
  ],
  accountant: [
    "workspace.view",
    "members.view",
    "billing.view",
    "billing.manage",
    "renters.view",
    "contracts.view",
    "invoices.view",
    "invoices.manage",
    "payments.record",
    "reports.view",
    "messages.view",
    "audit.view",
  ],
  viewer: VIEW_CODES.filter((c) => c !== "audit.view" && c !== "billing.view"),
};

export const DEFAULT_ROLE_KEYS = Object.keys(DEFAULT_ROLES) as DefaultRoleKey[];

export function isPermissionCode(value: string): value is PermissionCode {
  return (ALL_PERMISSION_CODES as readonly string[]).includes(value);
}

/** The one permission check, used by tRPC middleware and by the UI. */
export function hasPermission(granted: ReadonlySet<string> | readonly string[], code: PermissionCode): boolean {
  return Array.isArray(granted) ? granted.includes(code) : (granted as ReadonlySet<string>).has(code);
}
