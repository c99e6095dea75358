// The renter portal's sign-in, shell and settings (docs/RENTER_PORTAL.md). km is typed against en.
const en = {
  title: "Renter portal",
  login: {
    title: "Sign in to your renter page",
    subtitle: "{workspace}: no password needed. We send a 6-digit code to your Telegram or e-mail.",
    identifier: "Phone number or e-mail",
    identifierHelp: "The phone number or e-mail your landlord has for you.",
    sendCode: "Send me a code",
    sent: "If this phone number or e-mail belongs to a renter of {workspace}, a 6-digit code is on its way to their Telegram or e-mail. It works for 10 minutes.",
    code: "6-digit code",
    signIn: "Sign in",
    another: "Use another phone number or e-mail",
    resend: "Send a new code",
    errors: {
      identifier: "Enter a Cambodian phone number (for example 012 345 678) or an e-mail address.",
      code: "This code is wrong, used or expired. Check it, or ask for a new one.",
      throttled: "Too many attempts. Try again in {minutes} min.",
    },
  },
  nav: {
    label: "Renter portal",
    home: "Home",
    invoices: "Invoices",
    receipts: "Receipts",
    settings: "Settings",
    signOut: "Sign out",
  },
  settings: {
    title: "Settings",
    channel: "Send my invoices and receipts by",
    channels: { telegram: "Telegram", email: "E-mail", both: "Telegram and e-mail" },
    language: "Language",
    save: "Save",
    saved: "Saved",
    telegram: "Telegram",
    telegramLinked: "Your Telegram is linked: messages can come to your chat.",
    telegramNotLinked:
      "Link your Telegram to get your invoices and receipts there: open the link on this phone, or scan the QR code with Telegram.",
    telegramOpen: "Open Telegram",
    telegramOff: "Telegram is not available here yet; your messages come by e-mail.",
    qrAlt: "QR code of your Telegram link",
    errors: {
      telegramNotLinked: "Link your Telegram first, then choose it.",
      noEmail: "Your landlord has no e-mail address for you; choose Telegram, or ask them to add one.",
      invalid: "Choose one of the options.",
    },
  },
};

const km: typeof en = {
  title: "វិបផតថលអ្នកជួល",
  login: {
    title: "ចូលទំព័រអ្នកជួលរបស់អ្នក",
    subtitle: "{workspace}៖ មិនត្រូវការពាក្យសម្ងាត់ទេ។ យើងផ្ញើលេខកូដ 6 ខ្ទង់ទៅតេឡេក្រាម ឬអ៊ីមែលរបស់អ្នក។",
    identifier: "លេខទូរស័ព្ទ ឬអ៊ីមែល",
    identifierHelp: "លេខទូរស័ព្ទ ឬអ៊ីមែលដែលម្ចាស់ផ្ទះរបស់អ្នកមាន។",
    sendCode: "ផ្ញើលេខកូដមកខ្ញុំ",
    sent: "ប្រសិនបើលេខទូរស័ព្ទ ឬអ៊ីមែលនេះជារបស់អ្នកជួលនៅ {workspace} លេខកូដ 6 ខ្ទង់កំពុងផ្ញើទៅតេឡេក្រាម ឬអ៊ីមែលរបស់គាត់។ វាប្រើបានរយៈពេល 10 នាទី។",
    code: "លេខកូដ 6 ខ្ទង់",
    signIn: "ចូល",
    another: "ប្រើលេខទូរស័ព្ទ ឬអ៊ីមែលផ្សេង",
    resend: "ផ្ញើលេខកូដថ្មី",
    errors: {
      identifier: "សូមបញ្ចូលលេខទូរស័ព្ទកម្ពុជា (ឧទាហរណ៍ 012 345 678) ឬអាសយដ្ឋានអ៊ីមែល។",
      code: "លេខកូដនេះខុស ប្រើរួចហើយ ឬផុតកំណត់។ សូមពិនិត្យវា ឬស្នើលេខកូដថ្មី។",
      throttled: "ព្យាយាមច្រើនដងពេក។ សូមព្យាយាមម្ដងទៀតក្នុងរយៈពេល {minutes} នាទី។",
    },
  },
  nav: {
    label: "វិបផតថលអ្នកជួល",
    home: "ទំព័រដើម",
    invoices: "វិក្កយបត្រ",
    receipts: "បង្កាន់ដៃ",
    settings: "ការកំណត់",
    signOut: "ចាកចេញ",
  },
  settings: {
    title: "ការកំណត់",
    channel: "ផ្ញើវិក្កយបត្រ និងបង្កាន់ដៃរបស់ខ្ញុំតាម",
    channels: { telegram: "តេឡេក្រាម", email: "អ៊ីមែល", both: "តេឡេក្រាម និងអ៊ីមែល" },
    language: "ភាសា",
    save: "រក្សាទុក",
    saved: "បានរក្សាទុក",
    telegram: "តេឡេក្រាម",
    telegramLinked: "តេឡេក្រាមរបស់អ្នកបានភ្ជាប់ហើយ៖ សារអាចផ្ញើមកកាន់ការជជែករបស់អ្នក។",
    telegramNotLinked: "ភ្ជាប់តេឡេក្រាមរបស់អ្នក ដើម្បីទទួលវិក្កយបត្រ និងបង្កាន់ដៃនៅទីនោះ៖ បើកតំណនៅលើទូរស័ព្ទនេះ ឬស្កេនកូដ QR ដោយប្រើតេឡេក្រាម។",
    telegramOpen: "បើកតេឡេក្រាម",
    telegramOff: "តេឡេក្រាមមិនទាន់មាននៅទីនេះនៅឡើយទេ សាររបស់អ្នកនឹងផ្ញើតាមអ៊ីមែល។",
    qrAlt: "កូដ QR នៃតំណតេឡេក្រាមរបស់អ្នក",
    errors: {
      telegramNotLinked: "សូមភ្ជាប់តេឡេក្រាមរបស់អ្នកជាមុនសិន រួចជ្រើសវា។",
      noEmail: "ម្ចាស់ផ្ទះរបស់អ្នកមិនមានអាសយដ្ឋានអ៊ីមែលរបស់អ្នកទេ។ សូមជ្រើសតេឡេក្រាម ឬសុំឱ្យគាត់បន្ថែមអ៊ីមែល។",
      invalid: "សូមជ្រើសជម្រើសមួយ។",
    },
  },
};

export const renterPortal = { en, km };
