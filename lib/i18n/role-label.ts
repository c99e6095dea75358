import { DEFAULT_ROLE_KEYS } from "@/lib/permissions";
import type { MessageKey, TranslateParams } from "./config";

/** Default roles in the reader's language; custom roles by the name their tenant gave them. */
export function roleLabel(t: (key: MessageKey, params?: TranslateParams) => string, key: string, name: string): string {
  return (DEFAULT_ROLE_KEYS as readonly string[]).includes(key) ? t(`roles.${key}` as MessageKey) : name;
}
