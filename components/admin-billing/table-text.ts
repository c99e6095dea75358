import type { Translator } from "@/lib/i18n";
import type { DataTableText } from "@/components/ui/data-table";

/** The DataTable's state texts for the billing lists. */
export function tableText(t: Translator, empty: string): DataTableText {
  return {
    loading: t("adminBilling.common.loading"),
    empty,
    error: t("adminBilling.common.loadError"),
    retry: t("adminBilling.common.retry"),
    loadMore: t("adminBilling.common.loadMore"),
    columns: t("adminBilling.common.columns"),
  };
}
