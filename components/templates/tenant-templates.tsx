"use client";
import { UpgradeHint, lacks, useEntitlements } from "@/components/billing/upgrade-hint";
import { TemplateEditor } from "./template-editor";

/** The workspace's template editor: read-only, with an upgrade offer, on a plan without custom templates. */
export function TenantTemplates() {
  const entitlements = useEntitlements();
  const locked = lacks(entitlements, "custom_templates");
  return (
    <TemplateEditor
      mode="tenant"
      readOnly={locked}
      hint={locked && entitlements ? <UpgradeHint entitlements={entitlements} feature="custom_templates" /> : null}
    />
  );
}
