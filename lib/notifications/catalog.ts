// Every message the product sends: its key, the variables a template may use, sample values for
// the live preview, and the built-in English and Khmer defaults. Isomorphic: the template editor
// lists the variables from here, the server validates and renders with the same data.
//
// Body syntax: plain text with `{{variable}}`; a blank line starts a new paragraph; a line that is
// only `[Label]({{someUrl}})` renders as a button (http and https addresses only).
//
// Secret variables (`secrets`): a value that works as a password on its own (a single-use link
// that resets a password or joins a workspace). Such a variable may appear ONLY as the whole
// address of a button line, `[Label]({{link}})`: never in the subject, a paragraph, a label or
// inside another address. Saving a template that breaks this is refused; a stored one is skipped
// at render; the message log never stores or shows the value (it reads "[hidden]").
// Security messages (`security`, closed to workspaces): the ones that carry a secret that signs
// someone in or grants access (invitation, password reset, MFA enrolment), and the apex's own
// messages (APEX_KEYS: sent without a workspace). Workspaces cannot override them; only platform
// admins edit their global wording, under the same rule. The two rules are separate: a renter
// message may carry a secret (the one-time Telegram link, `telegramLink`: whoever holds it can
// link their own chat to the renter) and stay open to the workspace's wording (WORKSPACE_SECRET_KEYS):
// the secret is hidden in the log and placed only as a button's address all the same.
// Not secrets: the billing links (they open a page that needs a signed-in member) and the rent
// `payLink` (staff with invoices.view can copy it from the invoice anyway; it shows one invoice
// and its KHQR, signs nobody in, and the log keeps it so staff can see what the renter received).

export const MESSAGE_KEYS = [
  "team.invitation",
  "auth.password_reset",
  "auth.mfa_enrolment",
  "auth.find_workspace",
  "billing.invoice_issued",
  "billing.invoice_reminder",
  "billing.invoice_overdue",
  "billing.payment_receipt",
  "billing.past_due",
  "billing.suspended",
  "billing.canceled",
  "billing.reactivated",
  "rent.invoice_issued",
  "rent.reminder",
  "rent.overdue",
  "contract.expiring",
  "contract.activated",
  "rent.receipt",
  "renter.telegram_linked",
  "renter.login_code",
] as const;

export type MessageKey = (typeof MESSAGE_KEYS)[number];

export const TEMPLATE_LOCALES = ["km", "en"] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

export interface TemplateText {
  subject: string;
  body: string;
}

export interface MessageCatalogEntry {
  variables: readonly string[];
  sample: Record<string, string>;
  /** some variables carry secrets (single-use links): the sent log shows "[hidden]" instead */
  sensitive: boolean;
  /**
   * The secret variables (a subset of `variables`): only ever the whole address of a button line,
   * never stored or shown (the log reads "[hidden]"); single-use, so not kept once sent.
   */
  secrets: readonly string[];
  /**
   * a security message, closed to workspaces (a secret that signs in or grants access, or an apex
   * message): workspaces cannot override it, only the global wording applies. Independent of
   * `secrets` (a renter message with a one-time Telegram link is secret yet workspace-editable).
   */
  security: boolean;
  defaults: Record<TemplateLocale, TemplateText>;
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && (MESSAGE_KEYS as readonly string[]).includes(value);
}

export function isTemplateLocale(value: unknown): value is TemplateLocale {
  return typeof value === "string" && (TEMPLATE_LOCALES as readonly string[]).includes(value);
}

const ORIGIN = "https://sokha.phteah.com";
const WORKSPACE = "Sokha Apartments";

// Shared sample values (one set, so the preview reads like a real message).
const BILLING_SAMPLE = { workspace: WORKSPACE, number: "INV-2026-0042", amount: "$49.00", due: "5 Dec 2026", link: `${ORIGIN}/billing` };
const RENT_SAMPLE = {
  workspace: WORKSPACE,
  renter: "Chan Sreyneang",
  number: "R-2026-0118",
  amount: "$180.00",
  due: "5 Dec 2026",
  payLink: `${ORIGIN}/pay/3f9c2a7e51b84d06`,
};
// contract messages go to the renter, who has no login: no link into the workspace
const CONTRACT_SAMPLE = { workspace: WORKSPACE, renter: "Chan Sreyneang", unit: "A-203" };

function entry(
  sample: Record<string, string>,
  defaults: Record<TemplateLocale, TemplateText>,
  secrets: readonly string[] = [],
  /** apex: sent from the apex without a workspace (a workspace's wording would never be used) */
  opts: { apex?: boolean; workspaceEditable?: boolean; direct?: boolean } = {},
): MessageCatalogEntry {
  return {
    variables: Object.keys(sample),
    sample,
    sensitive: secrets.length > 0,
    secrets,
    // a secret closes the message to workspaces unless it is declared workspace-editable
    security: (secrets.length > 0 && opts.workspaceEditable !== true) || opts.apex === true || opts.direct === true,
    defaults,
  };
}

/** Keys sent from the apex, without a workspace: closed to workspaces like the security messages. */
export const APEX_KEYS: readonly string[] = ["auth.find_workspace"];

/**
 * Keys sent directly, never queued or logged, closed to workspaces like the security messages: the
 * renter portal's sign-in code (docs/RENTER_PORTAL.md) is a secret that must be read as text (six
 * digits, not a button), so it is never stored anywhere a member could read it.
 */
export const DIRECT_KEYS: readonly string[] = ["renter.login_code"];

/**
 * Keys that carry a secret (hidden in the log, only a button's address) yet keep the workspace's
 * own wording: the renter messages with the one-time Telegram link (docs/TELEGRAM.md, "Linking").
 */
export const WORKSPACE_SECRET_KEYS: readonly string[] = ["contract.activated"];

const lines = (...parts: string[]) => parts.join("\n\n");

export const MESSAGE_CATALOG: Record<MessageKey, MessageCatalogEntry> = {
  "team.invitation": entry(
    { workspace: WORKSPACE, inviter: "Dara Sok", role: "Manager", link: `${ORIGIN}/invite?token=sample-token`, days: "7" },
    {
      en: {
        subject: "You are invited to {{workspace}} on Phteah",
        body: lines(
          "{{inviter}} invited you to join {{workspace}} as {{role}}.",
          "[Accept the invitation]({{link}})",
          "The link works once and expires in {{days}} days.",
        ),
      },
      km: {
        subject: "អ្នកត្រូវបានអញ្ជើញចូល {{workspace}} នៅលើ Phteah",
        body: lines(
          "{{inviter}} បានអញ្ជើញអ្នកឱ្យចូលរួម {{workspace}} ជា {{role}}។",
          "[ទទួលយកការអញ្ជើញ]({{link}})",
          "តំណនេះប្រើបានតែម្ដង ហើយផុតកំណត់ក្នុងរយៈពេល {{days}} ថ្ងៃ។",
        ),
      },
    },
    ["link"],
  ),
  "auth.password_reset": entry(
    { workspace: WORKSPACE, name: "Dara", link: `${ORIGIN}/reset-password?token=sample-token`, minutes: "60" },
    {
      en: {
        subject: "Reset your {{workspace}} password",
        body: lines(
          "Hello {{name}},",
          "Someone asked to reset your password. The link below works once and expires in {{minutes}} minutes.",
          "[Choose a new password]({{link}})",
          "If it was not you, ignore this email: your password stays the same.",
        ),
      },
      km: {
        subject: "កំណត់ពាក្យសម្ងាត់ {{workspace}} ឡើងវិញ",
        body: lines(
          "សួស្ដី {{name}}",
          "មាននរណាម្នាក់បានស្នើកំណត់ពាក្យសម្ងាត់របស់អ្នកឡើងវិញ។ តំណខាងក្រោមប្រើបានតែម្ដង ហើយផុតកំណត់ក្នុងរយៈពេល {{minutes}} នាទី។",
          "[ជ្រើសពាក្យសម្ងាត់ថ្មី]({{link}})",
          "ប្រសិនបើមិនមែនជាអ្នក សូមមិនអើពើអ៊ីមែលនេះ៖ ពាក្យសម្ងាត់របស់អ្នកនៅដដែល។",
        ),
      },
    },
    ["link"],
  ),
  "auth.mfa_enrolment": entry(
    { name: "Dara", link: `${ORIGIN}/admin/mfa?enrol=sample-token`, minutes: "30" },
    {
      en: {
        subject: "Set up two-factor authentication for Phteah admin",
        body: lines(
          "Hello {{name}},",
          "Your platform admin account signed in and needs an authenticator app. Open the link below in the browser where you signed in to set it up. It works once and expires in {{minutes}} minutes.",
          "[Set up two-factor authentication]({{link}})",
          "If it was not you, someone knows your password: do not open the link, and change your password now.",
        ),
      },
      km: {
        subject: "រៀបចំការផ្ទៀងផ្ទាត់ពីរជំហានសម្រាប់អ្នកគ្រប់គ្រង Phteah",
        body: lines(
          "សួស្ដី {{name}}",
          "គណនីអ្នកគ្រប់គ្រងវេទិការបស់អ្នកបានចូល ហើយត្រូវការកម្មវិធីផ្ទៀងផ្ទាត់។ សូមបើកតំណខាងក្រោមក្នុងកម្មវិធីរុករកដែលអ្នកបានចូល ដើម្បីរៀបចំវា។ តំណនេះប្រើបានតែម្ដង ហើយផុតកំណត់ក្នុងរយៈពេល {{minutes}} នាទី។",
          "[រៀបចំការផ្ទៀងផ្ទាត់ពីរជំហាន]({{link}})",
          "ប្រសិនបើមិនមែនជាអ្នក មាននរណាម្នាក់ដឹងពាក្យសម្ងាត់របស់អ្នក៖ កុំបើកតំណនេះ ហើយប្ដូរពាក្យសម្ងាត់របស់អ្នកឥឡូវនេះ។",
        ),
      },
    },
    ["link"],
  ),
  // "Find my workspace" on the apex: sent only to the address's owner, never shown on screen. The
  // sign-in links are not secrets (each opens a sign-in page). Rendered without a workspace (apex).
  "auth.find_workspace": entry(
    { name: "Dara", workspaces: `${WORKSPACE}: ${ORIGIN}/login` },
    {
      en: {
        subject: "Your Phteah workspaces",
        body: lines(
          "Hello {{name}},",
          "Someone asked which Phteah workspaces this email address belongs to. Sign in to each one at its own address:",
          "{{workspaces}}",
          "Bookmark your workspace's address to go straight there next time. If it was not you, ignore this email: nothing has changed.",
        ),
      },
      km: {
        subject: "កន្លែងធ្វើការ Phteah របស់អ្នក",
        body: lines(
          "សួស្ដី {{name}}",
          "មាននរណាម្នាក់បានសួរថា អ៊ីមែលនេះជាសមាជិកនៃកន្លែងធ្វើការ Phteah ណាខ្លះ។ សូមចូលកន្លែងធ្វើការនីមួយៗតាមអាសយដ្ឋានរបស់វា៖",
          "{{workspaces}}",
          "សូមរក្សាទុកអាសយដ្ឋានកន្លែងធ្វើការរបស់អ្នក ដើម្បីចូលបានភ្លាមៗនៅពេលក្រោយ។ ប្រសិនបើមិនមែនជាអ្នក សូមមិនអើពើអ៊ីមែលនេះ៖ គ្មានអ្វីផ្លាស់ប្ដូរទេ។",
        ),
      },
    },
    [],
    { apex: true },
  ),
  "billing.invoice_issued": entry(
    { ...BILLING_SAMPLE, plan: "Pro" },
    {
      en: {
        subject: "New invoice {{number}} — {{workspace}}",
        body: lines(
          "Invoice {{number}} for {{amount}} ({{plan}}) is due on {{due}}. You can pay it with any Bakong KHQR banking app.",
          "[Pay with KHQR]({{link}})",
        ),
      },
      km: {
        subject: "វិក្កយបត្រថ្មី {{number}} — {{workspace}}",
        body: lines(
          "វិក្កយបត្រ {{number}} ចំនួន {{amount}} ({{plan}}) ត្រូវបង់នៅថ្ងៃ {{due}}។ អ្នកអាចបង់ដោយកម្មវិធីធនាគារណាមួយដែលគាំទ្រ Bakong KHQR។",
          "[បង់តាម KHQR]({{link}})",
        ),
      },
    },
  ),
  "billing.invoice_reminder": entry(BILLING_SAMPLE, {
    en: {
      subject: "Reminder: invoice {{number}} is due on {{due}}",
      body: lines(
        "Invoice {{number}} for {{amount}} is due on {{due}}. Pay it in time to keep {{workspace}} running without interruption.",
        "[Pay now]({{link}})",
      ),
    },
    km: {
      subject: "រំលឹក៖ វិក្កយបត្រ {{number}} ត្រូវបង់នៅថ្ងៃ {{due}}",
      body: lines(
        "វិក្កយបត្រ {{number}} ចំនួន {{amount}} ត្រូវបង់នៅថ្ងៃ {{due}}។ សូមបង់ទាន់ពេល ដើម្បីឱ្យ {{workspace}} ដំណើរការដោយគ្មានការរំខាន។",
        "[បង់ឥឡូវនេះ]({{link}})",
      ),
    },
  }),
  "billing.invoice_overdue": entry(BILLING_SAMPLE, {
    en: {
      subject: "Invoice {{number}} is overdue",
      body: lines(
        "Invoice {{number}} for {{amount}} was due on {{due}}. Please pay it to keep {{workspace}} running.",
        "[Pay now]({{link}})",
      ),
    },
    km: {
      subject: "វិក្កយបត្រ {{number}} ហួសកាលកំណត់",
      body: lines("វិក្កយបត្រ {{number}} ចំនួន {{amount}} ត្រូវបង់តាំងពីថ្ងៃ {{due}}។ សូមបង់ ដើម្បីឱ្យ {{workspace}} បន្តដំណើរការ។", "[បង់ឥឡូវនេះ]({{link}})"),
    },
  }),
  "billing.payment_receipt": entry(
    {
      workspace: WORKSPACE,
      number: "INV-2026-0042",
      amount: "$49.00",
      date: "1 Dec 2026",
      link: `${ORIGIN}/billing/invoices/sample/pdf?kind=receipt`,
    },
    {
      en: {
        subject: "Receipt {{number}} — {{workspace}}",
        body: lines(
          "We received your payment of {{amount}} for invoice {{number}} on {{date}}. Thank you!",
          "[Download the receipt (PDF)]({{link}})",
        ),
      },
      km: {
        subject: "បង្កាន់ដៃ {{number}} — {{workspace}}",
        body: lines("យើងបានទទួលការបង់ប្រាក់ចំនួន {{amount}} សម្រាប់វិក្កយបត្រ {{number}} នៅថ្ងៃ {{date}}។ សូមអរគុណ!", "[ទាញយកបង្កាន់ដៃ (PDF)]({{link}})"),
      },
    },
  ),
  "billing.past_due": entry(
    { workspace: WORKSPACE, grace: "12 Dec 2026", link: `${ORIGIN}/billing` },
    {
      en: {
        subject: "Payment needed for {{workspace}}",
        body: lines(
          "Your subscription's renewal is unpaid. {{workspace}} keeps working until {{grace}}; after that it becomes read-only until paid.",
          "[Open billing]({{link}})",
        ),
      },
      km: {
        subject: "ត្រូវការការបង់ប្រាក់សម្រាប់ {{workspace}}",
        body: lines(
          "ការបន្តការជាវរបស់អ្នកមិនទាន់បានបង់ទេ។ {{workspace}} នៅតែដំណើរការរហូតដល់ {{grace}}។ បន្ទាប់ពីនោះ វានឹងអាចតែអានបានរហូតដល់ពេលបង់។",
          "[បើកទំព័រវិក្កយបត្រ]({{link}})",
        ),
      },
    },
  ),
  "billing.suspended": entry(
    { workspace: WORKSPACE, link: `${ORIGIN}/billing` },
    {
      en: {
        subject: "{{workspace}} is read-only",
        body: lines(
          "The renewal is still unpaid, so {{workspace}} is now read-only: your data is safe and readable, but changes are paused until you pay.",
          "[Open billing]({{link}})",
        ),
      },
      km: {
        subject: "{{workspace}} អាចតែអានបានប៉ុណ្ណោះ",
        body: lines(
          "ការបន្តនៅតែមិនទាន់បានបង់ ដូច្នេះ {{workspace}} ឥឡូវអាចតែអានបាន៖ ទិន្នន័យរបស់អ្នកមានសុវត្ថិភាព ប៉ុន្តែការកែប្រែត្រូវបានផ្អាករហូតដល់អ្នកបង់ប្រាក់។",
          "[បើកទំព័រវិក្កយបត្រ]({{link}})",
        ),
      },
    },
  ),
  "billing.canceled": entry(
    { workspace: WORKSPACE, link: `${ORIGIN}/billing` },
    {
      en: {
        subject: "{{workspace}} subscription canceled",
        body: lines(
          "The subscription of {{workspace}} was canceled after a long suspension. Nothing was deleted: paying an invoice reactivates it.",
          "[Open billing]({{link}})",
        ),
      },
      km: {
        subject: "ការជាវ {{workspace}} ត្រូវបានលុបចោល",
        body: lines(
          "ការជាវរបស់ {{workspace}} ត្រូវបានលុបចោល បន្ទាប់ពីការផ្អាកយូរ។ គ្មានអ្វីត្រូវបានលុបទេ៖ ការបង់វិក្កយបត្រនឹងធ្វើឱ្យវាដំណើរការឡើងវិញ។",
          "[បើកទំព័រវិក្កយបត្រ]({{link}})",
        ),
      },
    },
  ),
  "billing.reactivated": entry(
    { workspace: WORKSPACE, link: `${ORIGIN}/billing` },
    {
      en: {
        subject: "{{workspace}} is active",
        body: lines("Thank you: the subscription of {{workspace}} is active again.", "[Open billing]({{link}})"),
      },
      km: {
        subject: "{{workspace}} ដំណើរការវិញហើយ",
        body: lines("សូមអរគុណ៖ ការជាវរបស់ {{workspace}} ដំណើរការឡើងវិញហើយ។", "[បើកទំព័រវិក្កយបត្រ]({{link}})"),
      },
    },
  ),
  "rent.invoice_issued": entry(RENT_SAMPLE, {
    en: {
      subject: "Rent invoice {{number}} from {{workspace}}",
      body: lines(
        "Hello {{renter}},",
        "Your rent invoice {{number}} for {{amount}} is due on {{due}}. You can pay it by scanning the KHQR code on the payment page with any Bakong banking app.",
        "[View and pay]({{payLink}})",
        "Thank you,\n{{workspace}}",
      ),
    },
    km: {
      subject: "វិក្កយបត្រថ្លៃជួល {{number}} ពី {{workspace}}",
      body: lines(
        "សួស្ដី {{renter}}",
        "វិក្កយបត្រថ្លៃជួល {{number}} របស់អ្នក ចំនួន {{amount}} ត្រូវបង់នៅថ្ងៃ {{due}}។ អ្នកអាចបង់ដោយស្កេនកូដ KHQR នៅលើទំព័របង់ប្រាក់ ជាមួយកម្មវិធីធនាគារណាមួយដែលគាំទ្រ Bakong។",
        "[មើល និងបង់ប្រាក់]({{payLink}})",
        "សូមអរគុណ\n{{workspace}}",
      ),
    },
  }),
  "rent.reminder": entry(RENT_SAMPLE, {
    en: {
      subject: "Reminder: rent invoice {{number}} is due on {{due}}",
      body: lines(
        "Hello {{renter}},",
        "This is a friendly reminder that rent invoice {{number}} for {{amount}} is due on {{due}}.",
        "[Pay now]({{payLink}})",
        "If you have already paid, please ignore this message.\n{{workspace}}",
      ),
    },
    km: {
      subject: "រំលឹក៖ វិក្កយបត្រថ្លៃជួល {{number}} ត្រូវបង់នៅថ្ងៃ {{due}}",
      body: lines(
        "សួស្ដី {{renter}}",
        "នេះជាការរំលឹកថា វិក្កយបត្រថ្លៃជួល {{number}} ចំនួន {{amount}} ត្រូវបង់នៅថ្ងៃ {{due}}។",
        "[បង់ឥឡូវនេះ]({{payLink}})",
        "ប្រសិនបើអ្នកបានបង់រួចហើយ សូមមិនអើពើសារនេះ។\n{{workspace}}",
      ),
    },
  }),
  "rent.overdue": entry(RENT_SAMPLE, {
    en: {
      subject: "Rent invoice {{number}} is overdue",
      body: lines(
        "Hello {{renter}},",
        "Rent invoice {{number}} for {{amount}} was due on {{due}} and is still unpaid. Please pay it as soon as possible, or contact us if there is a problem.",
        "[Pay now]({{payLink}})",
        "{{workspace}}",
      ),
    },
    km: {
      subject: "វិក្កយបត្រថ្លៃជួល {{number}} ហួសកាលកំណត់",
      body: lines(
        "សួស្ដី {{renter}}",
        "វិក្កយបត្រថ្លៃជួល {{number}} ចំនួន {{amount}} ត្រូវបង់តាំងពីថ្ងៃ {{due}} ហើយនៅមិនទាន់បានបង់នៅឡើយ។ សូមបង់ឱ្យបានឆាប់តាមដែលអាចធ្វើបាន ឬទាក់ទងមកយើងប្រសិនបើមានបញ្ហា។",
        "[បង់ឥឡូវនេះ]({{payLink}})",
        "{{workspace}}",
      ),
    },
  }),
  "contract.expiring": entry(
    { ...CONTRACT_SAMPLE, endDate: "31 Jan 2027" },
    {
      en: {
        subject: "Your rental of {{unit}} ends on {{endDate}}",
        body: lines(
          "Dear {{renter}},",
          "Your contract for unit {{unit}} at {{workspace}} ends on {{endDate}}. If you would like to stay, please contact us to renew it; otherwise we will arrange the move-out and your deposit with you.",
        ),
      },
      km: {
        subject: "ការជួលបន្ទប់ {{unit}} របស់អ្នកនឹងផុតកំណត់នៅថ្ងៃ {{endDate}}",
        body: lines(
          "ជូនចំពោះ {{renter}}",
          "កិច្ចសន្យារបស់អ្នកសម្រាប់បន្ទប់ {{unit}} នៅ {{workspace}} នឹងផុតកំណត់នៅថ្ងៃ {{endDate}}។ ប្រសិនបើអ្នកចង់បន្តស្នាក់នៅ សូមទាក់ទងមកយើងដើម្បីបន្តកិច្ចសន្យា បើមិនដូច្នោះទេ យើងនឹងរៀបចំការចាកចេញ និងប្រាក់កក់ជាមួយអ្នក។",
        ),
      },
    },
  ),
  "contract.activated": entry(
    // telegramLink: the renter's one-time Telegram link (docs/TELEGRAM.md); empty (the button is left
    // out) when Telegram is off or the renter's chat is already linked
    { ...CONTRACT_SAMPLE, startDate: "1 Dec 2026", telegramLink: "https://t.me/phteah_bot?start=sample-token" },
    {
      en: {
        subject: "Welcome to {{unit}} — your contract is active",
        body: lines(
          "Dear {{renter}},",
          "Your contract for unit {{unit}} at {{workspace}} is active from {{startDate}}. Each month you will receive your rent invoice by e-mail, with a link to pay it by KHQR or see how to pay in cash.",
          "[Get your invoices on Telegram]({{telegramLink}})",
        ),
      },
      km: {
        subject: "កិច្ចសន្យាសម្រាប់ {{unit}} ចាប់ផ្ដើមអនុវត្តហើយ",
        body: lines(
          "ជូនចំពោះ {{renter}}",
          "កិច្ចសន្យារបស់អ្នកសម្រាប់បន្ទប់ {{unit}} នៅ {{workspace}} ចាប់ផ្ដើមអនុវត្តពីថ្ងៃ {{startDate}}។ រៀងរាល់ខែ អ្នកនឹងទទួលបានវិក្កយបត្រថ្លៃជួលតាមអ៊ីមែល ជាមួយតំណសម្រាប់បង់តាម KHQR ឬមើលរបៀបបង់ជាសាច់ប្រាក់។",
          "[ទទួលវិក្កយបត្រតាមតេឡេក្រាម]({{telegramLink}})",
        ),
      },
    },
    // the one-time link is a secret (whoever holds it can link their own chat to the renter), but
    // this is the workspace's own welcome: its wording stays editable
    ["telegramLink"],
    { workspaceEditable: true },
  ),
  // a receipt for every rent payment (cash, bank transfer, KHQR), on the renter's channel(s);
  // receiptLink opens the receipt PDF through the invoice's pay link (no sign-in, like the pay page)
  "rent.receipt": entry(
    {
      workspace: WORKSPACE,
      renter: "Chan Sreyneang",
      receipt: "RC-2026-000042",
      amount: "$180.00",
      method: "KHQR",
      date: "3 Dec 2026",
      number: "R-2026-0118",
      balance: "$0.00",
      receiptLink: `${ORIGIN}/pay/3f9c2a7e51b84d06/receipts/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b`,
    },
    {
      en: {
        subject: "Receipt {{receipt}}: {{amount}} received by {{workspace}}",
        body: lines(
          "Hello {{renter}},",
          "We received your payment of {{amount}} ({{method}}) on {{date}} for rent invoice {{number}}. Still to pay on this invoice: {{balance}}.",
          "[Download the receipt (PDF)]({{receiptLink}})",
          "Thank you,\n{{workspace}}",
        ),
      },
      km: {
        subject: "បង្កាន់ដៃ {{receipt}}៖ {{workspace}} បានទទួល {{amount}}",
        body: lines(
          "សួស្ដី {{renter}}",
          "យើងបានទទួលការបង់ប្រាក់របស់អ្នកចំនួន {{amount}} ({{method}}) នៅថ្ងៃ {{date}} សម្រាប់វិក្កយបត្រថ្លៃជួល {{number}}។ ចំនួននៅសល់ត្រូវបង់លើវិក្កយបត្រនេះ៖ {{balance}}។",
          "[ទាញយកបង្កាន់ដៃ (PDF)]({{receiptLink}})",
          "សូមអរគុណ\n{{workspace}}",
        ),
      },
    },
  ),
  // sent on the renter's OTHER channel (e-mail) when a Telegram chat links to them: a link token
  // in the wrong hands would otherwise take their messages unnoticed (docs/TELEGRAM.md, "Linking")
  "renter.telegram_linked": entry(
    { workspace: WORKSPACE, renter: "Chan Sreyneang", telegramName: "Sreyneang (@sreyneang)", date: "3 Dec 2026" },
    {
      en: {
        subject: "Your Telegram was linked to {{workspace}}",
        body: lines(
          "Hello {{renter}},",
          "On {{date}} the Telegram account {{telegramName}} was linked to your rentals at {{workspace}}: your invoices and receipts can now be sent there.",
          "If this was not you, tell your landlord now: they can unlink it.",
          "{{workspace}}",
        ),
      },
      km: {
        subject: "តេឡេក្រាមរបស់អ្នកត្រូវបានភ្ជាប់ជាមួយ {{workspace}}",
        body: lines(
          "សួស្ដី {{renter}}",
          "នៅថ្ងៃ {{date}} គណនីតេឡេក្រាម {{telegramName}} ត្រូវបានភ្ជាប់ជាមួយការជួលរបស់អ្នកនៅ {{workspace}}៖ វិក្កយបត្រ និងបង្កាន់ដៃរបស់អ្នកអាចផ្ញើទៅទីនោះបានហើយ។",
          "ប្រសិនបើមិនមែនជាអ្នកទេ សូមប្រាប់ម្ចាស់ផ្ទះរបស់អ្នកភ្លាមៗ៖ គាត់អាចផ្ដាច់វាបាន។",
          "{{workspace}}",
        ),
      },
    },
  ),
  "renter.login_code": entry(
    { workspace: WORKSPACE, renter: "Chan Sreyneang", code: "482913", minutes: "10" },
    {
      en: {
        subject: "Your {{workspace}} sign-in code: {{code}}",
        body: lines(
          "Hello {{renter}},",
          "Your code to sign in to your renter page at {{workspace}} is {{code}}. It works once and expires in {{minutes}} minutes.",
          "Never share this code: {{workspace}} will never ask you for it. If you did not ask for it, ignore this message.",
        ),
      },
      km: {
        subject: "លេខកូដចូល {{workspace}} របស់អ្នក៖ {{code}}",
        body: lines(
          "សួស្ដី {{renter}}",
          "លេខកូដសម្រាប់ចូលទំព័រអ្នកជួលរបស់អ្នកនៅ {{workspace}} គឺ {{code}}។ វាប្រើបានតែម្ដង ហើយផុតកំណត់ក្នុងរយៈពេល {{minutes}} នាទី។",
          "កុំប្រាប់លេខកូដនេះដល់នរណាម្នាក់៖ {{workspace}} នឹងមិនសុំវាពីអ្នកឡើយ។ ប្រសិនបើអ្នកមិនបានស្នើវាទេ សូមមិនអើពើសារនេះ។",
        ),
      },
    },
    [],
    { direct: true },
  ),
};

/** The security messages: only platform admins edit their (global) wording; workspace overrides are refused and ignored. */
export const SECURITY_KEYS: readonly MessageKey[] = MESSAGE_KEYS.filter((k) => MESSAGE_CATALOG[k].security);

/** The messages a workspace may override (every key but the security messages). */
export const TENANT_TEMPLATE_KEYS: readonly MessageKey[] = MESSAGE_KEYS.filter((k) => !MESSAGE_CATALOG[k].security);

export function isSecurityKey(key: string): boolean {
  return isMessageKey(key) && MESSAGE_CATALOG[key].security;
}
