// Workspace settings (/settings): name, default language, Bakong account, rent reminder days.
// km is typed against en: a missing or extra key fails the type check.
const en = {
  title: "Workspace settings",
  save: "Save settings",
  saving: "Saving…",
  saved: "Settings saved.",
  general: {
    title: "General",
    name: "Workspace name",
    nameHelp: "Shown to your team and on invoices, receipts and messages to renters.",
    locale: "Default language",
    localeHelp: "Used for messages to renters who have no language of their own, and for system texts.",
  },
  khqr: {
    title: "KHQR rent collection",
    account: "Bakong account",
    accountHelp:
      "Your Bakong account id, for example sokha_apartments@aclb. Renters’ KHQR payments go straight to this account. Leave it empty to collect rent by cash and bank transfer only.",
    needsPlan: "Renters can pay rent by KHQR only when a Bakong account is set here and your plan includes KHQR rent collection.",
    ready: "Renters can pay by KHQR on their invoice’s pay page.",
    noAccount: "No Bakong account yet: renters cannot pay by KHQR.",
  },
  reminders: {
    title: "Rent reminders",
    intro: "Renters with an e-mail address get a reminder on each of these days, counted from the invoice’s due date.",
    addLabel: "Days from the due date",
    addHelp: "−3 = three days before, 0 = on the due date, 7 = a week after (from −30 to 60).",
    add: "Add reminder",
    remove: "Remove the reminder “{label}”",
    none: "No reminders: renters get no reminder e-mails.",
    full: "At most {max} reminders. Remove one to add another.",
    dayBefore: "1 day before the due date",
    daysBefore: "{n, plural, one {{n} day} other {{n} days}} before the due date",
    onDue: "On the due date",
    dayAfter: "1 day after the due date",
    daysAfter: "{n, plural, one {{n} day} other {{n} days}} after the due date",
  },
  errors: {
    nameTooLong: "Use at most 100 characters.",
    locale: "Choose Khmer or English.",
    bakongFormat: "Enter a Bakong account id like sokha_apartments@aclb: letters, digits, _ . or - before the @, the bank code after it.",
    bakongTooLong: "A Bakong account id has at most 32 characters.",
    reminderDayNumber: "Enter a whole number of days.",
    reminderDayRange: "Use a day from −30 to 60.",
    reminderTooMany: "At most 6 reminders.",
    reminderDuplicate: "That day is already in the list.",
  },
};

const km: typeof en = {
  title: "ការកំណត់កន្លែងធ្វើការ",
  save: "រក្សាទុកការកំណត់",
  saving: "កំពុងរក្សាទុក…",
  saved: "បានរក្សាទុកការកំណត់។",
  general: {
    title: "ទូទៅ",
    name: "ឈ្មោះកន្លែងធ្វើការ",
    nameHelp: "បង្ហាញដល់ក្រុមរបស់អ្នក និងនៅលើវិក្កយបត្រ បង្កាន់ដៃ និងសារទៅអ្នកជួល។",
    locale: "ភាសាលំនាំដើម",
    localeHelp: "ប្រើសម្រាប់សារទៅអ្នកជួលដែលមិនបានកំណត់ភាសាផ្ទាល់ខ្លួន និងសម្រាប់អត្ថបទរបស់ប្រព័ន្ធ។",
  },
  khqr: {
    title: "ការប្រមូលថ្លៃជួលតាម KHQR",
    account: "គណនី Bakong",
    accountHelp:
      "លេខសម្គាល់គណនី Bakong របស់អ្នក ឧទាហរណ៍ sokha_apartments@aclb។ ប្រាក់ដែលអ្នកជួលបង់តាម KHQR ចូលដោយផ្ទាល់ទៅគណនីនេះ។ ទុកឱ្យនៅទទេ ដើម្បីប្រមូលថ្លៃជួលតែជាសាច់ប្រាក់ និងការផ្ទេរតាមធនាគារប៉ុណ្ណោះ។",
    needsPlan: "អ្នកជួលអាចបង់ថ្លៃជួលតាម KHQR បាន លុះត្រាតែមានគណនី Bakong កំណត់នៅទីនេះ ហើយគម្រោងរបស់អ្នកមានមុខងារប្រមូលថ្លៃជួលតាម KHQR។",
    ready: "អ្នកជួលអាចបង់តាម KHQR នៅលើទំព័របង់ប្រាក់នៃវិក្កយបត្ររបស់ពួកគេ។",
    noAccount: "មិនទាន់មានគណនី Bakong នៅឡើយទេ៖ អ្នកជួលមិនអាចបង់តាម KHQR បានទេ។",
  },
  reminders: {
    title: "ការរំលឹកថ្លៃជួល",
    intro: "អ្នកជួលដែលមានអាសយដ្ឋានអ៊ីមែល នឹងទទួលបានការរំលឹកនៅថ្ងៃនីមួយៗខាងក្រោម ដោយរាប់ពីថ្ងៃផុតកំណត់នៃវិក្កយបត្រ។",
    addLabel: "ចំនួនថ្ងៃគិតពីថ្ងៃផុតកំណត់",
    addHelp: "−3 = បីថ្ងៃមុន, 0 = នៅថ្ងៃផុតកំណត់, 7 = មួយសប្តាហ៍ក្រោយ (ពី −30 ដល់ 60)។",
    add: "បន្ថែមការរំលឹក",
    remove: "លុបការរំលឹក “{label}”",
    none: "គ្មានការរំលឹកទេ៖ អ្នកជួលនឹងមិនទទួលបានអ៊ីមែលរំលឹកឡើយ។",
    full: "មានការរំលឹកយ៉ាងច្រើន {max}។ សូមលុបមួយចេញ ដើម្បីបន្ថែមមួយទៀត។",
    dayBefore: "1 ថ្ងៃមុនថ្ងៃផុតកំណត់",
    daysBefore: "{n} ថ្ងៃមុនថ្ងៃផុតកំណត់",
    onDue: "នៅថ្ងៃផុតកំណត់",
    dayAfter: "1 ថ្ងៃក្រោយថ្ងៃផុតកំណត់",
    daysAfter: "{n} ថ្ងៃក្រោយថ្ងៃផុតកំណត់",
  },
  errors: {
    nameTooLong: "សូមប្រើយ៉ាងច្រើន 100 តួអក្សរ។",
    locale: "សូមជ្រើសរើសភាសាខ្មែរ ឬអង់គ្លេស។",
    bakongFormat: "សូមបញ្ចូលលេខសម្គាល់គណនី Bakong ដូចជា sokha_apartments@aclb៖ អក្សរ លេខ _ . ឬ - នៅមុខ @ និងលេខកូដធនាគារនៅក្រោយ។",
    bakongTooLong: "លេខសម្គាល់គណនី Bakong មានយ៉ាងច្រើន 32 តួអក្សរ។",
    reminderDayNumber: "សូមបញ្ចូលចំនួនថ្ងៃជាចំនួនគត់។",
    reminderDayRange: "សូមប្រើថ្ងៃពី −30 ដល់ 60។",
    reminderTooMany: "មានការរំលឹកបានយ៉ាងច្រើន 6។",
    reminderDuplicate: "ថ្ងៃនោះមាននៅក្នុងបញ្ជីរួចហើយ។",
  },
};

export const settings = { en, km };
