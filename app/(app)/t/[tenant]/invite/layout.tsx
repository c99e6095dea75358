// the messages the root layout leaves out on a workspace's host (lib/i18n/catalogs.ts SHELL_NAMESPACES)
export { default } from "@/server/core/rest-of-messages";
