// USD and riel together (docs/CURRENCY.md): the exchange rates in /settings, the other currency's
// value of an invoice, and paying in the other currency. km is typed against en.
const en = {
  equivalent: "≈ {amount} at {rate} riel per dollar",
  noRate: "No exchange rate set for {day}: add one in Settings to show the other currency.",
  rates: {
    title: "Exchange rates",
    intro:
      "Riel per US dollar from a day on. Invoices show the other currency at the rate of their issue day, and renters can pay in the other currency at the rate of the payment day.",
    date: "From",
    rate: "Riel per dollar",
    source: "Source",
    sources: { manual: "Entered by staff", nbc: "National Bank of Cambodia" },
    add: "Set the rate",
    saved: "Exchange rate saved.",
    empty: "No exchange rate yet. Add today's rate to show invoices in both currencies.",
    more: "Show more",
    job: "Exchange rates of the day (National Bank of Cambodia, when set up)",
    loading: "Loading exchange rates…",
    loadError: "The exchange rates could not be loaded.",
    retry: "Try again",
    perDollar: "{rate} ៛ per $1",
  },
  pay: {
    inRiel: "Pay in riel",
    inDollars: "Pay in dollars",
    choose: "Currency to pay in",
    rielNote: "{amount} at today's rate of {rate} riel per dollar, rounded up to 100 riel.",
    dollarNote: "{amount} at today's rate of {rate} riel per dollar, rounded up to the cent.",
  },
  record: {
    receivedIn: "Received in",
    received: "Amount received",
    rate: "Riel per dollar",
    rateHelp: "Leave empty to use the rate set for the day paid.",
    credited: "Counts as {amount} on this invoice.",
    noRate: "No exchange rate set for this day: add one in Settings first.",
  },
  receivedAs: "Paid {amount} at {rate} riel per dollar",
  receivedAt: "{amount} at {rate} ៛/$",
  receivedLabel: "Received in the other currency: {amount} at {rate} riel per dollar",
  errors: {
    rateRange: "Enter whole riel per dollar between 1,000 and 100,000.",
    noRate: "No exchange rate is set for today, so this invoice can only be paid in its own currency.",
    currency: "This invoice can only be paid in US dollars or riel.",
  },
};

const km: typeof en = {
  equivalent: "≈ {amount} តាមអត្រា {rate} រៀលក្នុងមួយដុល្លារ",
  noRate: "មិនទាន់មានអត្រាប្ដូរប្រាក់សម្រាប់ថ្ងៃ {day} ទេ៖ បន្ថែមវានៅក្នុងការកំណត់ ដើម្បីបង្ហាញរូបិយប័ណ្ណមួយទៀត។",
  rates: {
    title: "អត្រាប្ដូរប្រាក់",
    intro: "ចំនួនរៀលក្នុងមួយដុល្លារ ចាប់ពីថ្ងៃណាមួយទៅ។ វិក្កយបត្របង្ហាញរូបិយប័ណ្ណមួយទៀតតាមអត្រានៃថ្ងៃចេញវិក្កយបត្រ ហើយអ្នកជួលអាចបង់ជារូបិយប័ណ្ណមួយទៀតតាមអត្រានៃថ្ងៃបង់ប្រាក់។",
    date: "ចាប់ពី",
    rate: "រៀលក្នុងមួយដុល្លារ",
    source: "ប្រភព",
    sources: { manual: "បញ្ចូលដោយបុគ្គលិក", nbc: "ធនាគារជាតិនៃកម្ពុជា" },
    add: "កំណត់អត្រា",
    saved: "បានរក្សាទុកអត្រាប្ដូរប្រាក់។",
    empty: "មិនទាន់មានអត្រាប្ដូរប្រាក់ទេ។ បន្ថែមអត្រាថ្ងៃនេះ ដើម្បីបង្ហាញវិក្កយបត្រជារូបិយប័ណ្ណទាំងពីរ។",
    more: "បង្ហាញបន្ថែម",
    job: "អត្រាប្ដូរប្រាក់ប្រចាំថ្ងៃ (ធនាគារជាតិនៃកម្ពុជា នៅពេលបានរៀបចំ)",
    loading: "កំពុងផ្ទុកអត្រាប្ដូរប្រាក់…",
    loadError: "មិនអាចផ្ទុកអត្រាប្ដូរប្រាក់បានទេ។",
    retry: "ព្យាយាមម្ដងទៀត",
    perDollar: "{rate} ៛ ក្នុង $1",
  },
  pay: {
    inRiel: "បង់ជាប្រាក់រៀល",
    inDollars: "បង់ជាប្រាក់ដុល្លារ",
    choose: "រូបិយប័ណ្ណសម្រាប់បង់",
    rielNote: "{amount} តាមអត្រាថ្ងៃនេះ {rate} រៀលក្នុងមួយដុល្លារ បង្គត់ឡើងដល់ 100 រៀល។",
    dollarNote: "{amount} តាមអត្រាថ្ងៃនេះ {rate} រៀលក្នុងមួយដុល្លារ បង្គត់ឡើងដល់មួយសេន។",
  },
  record: {
    receivedIn: "ទទួលជា",
    received: "ចំនួនទឹកប្រាក់ដែលបានទទួល",
    rate: "រៀលក្នុងមួយដុល្លារ",
    rateHelp: "ទុកទទេ ដើម្បីប្រើអត្រាដែលបានកំណត់សម្រាប់ថ្ងៃបង់ប្រាក់។",
    credited: "គិតជា {amount} លើវិក្កយបត្រនេះ។",
    noRate: "មិនទាន់មានអត្រាប្ដូរប្រាក់សម្រាប់ថ្ងៃនេះទេ៖ សូមបន្ថែមវានៅក្នុងការកំណត់ជាមុនសិន។",
  },
  receivedAs: "បានបង់ {amount} តាមអត្រា {rate} រៀលក្នុងមួយដុល្លារ",
  receivedAt: "{amount} តាមអត្រា {rate} ៛/$",
  receivedLabel: "បានទទួលជារូបិយប័ណ្ណមួយទៀត៖ {amount} តាមអត្រា {rate} រៀលក្នុងមួយដុល្លារ",
  errors: {
    rateRange: "បញ្ចូលចំនួនរៀលគត់ក្នុងមួយដុល្លារ ចន្លោះពី 1,000 ដល់ 100,000។",
    noRate: "មិនទាន់មានអត្រាប្ដូរប្រាក់សម្រាប់ថ្ងៃនេះទេ ដូច្នេះវិក្កយបត្រនេះអាចបង់បានតែជារូបិយប័ណ្ណរបស់វាប៉ុណ្ណោះ។",
    currency: "វិក្កយបត្រនេះអាចបង់បានតែជាប្រាក់ដុល្លារ ឬប្រាក់រៀលប៉ុណ្ណោះ។",
  },
};

export const currency = { en, km };
