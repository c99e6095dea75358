// The dashboard's first-run checklist and the Bakong prompt where it matters (components/dashboard,
// the contract form and the invoice run). km is typed against en.
const en = {
  title: "Set up your workspace",
  progress: "{done} of {total} steps done",
  done: "Done",
  todo: "Not done yet",
  dismiss: "Hide this list",
  keep: "Keep it",
  dismissTitle: "Hide the set-up list?",
  dismissBody: "It goes away for everyone in this workspace. Every page stays in the menu.",
  dismissed: "The set-up list is hidden.",
  steps: {
    units: { title: "Add a property and its rooms", body: "Your building, house or shops, and each room or unit you rent out." },
    renters: { title: "Add your renters", body: "Name and phone number of each person who rents from you." },
    contracts: { title: "Make the contracts", body: "Who rents which room, from when, and the monthly rent." },
    bakong: { title: "Add your Bakong account", body: "So renters can pay by scanning a KHQR code with their bank app." },
    readings: { title: "Enter the first meter readings", body: "Electricity and water meters, so the first bill can charge for use." },
    invoices: { title: "Send the first invoices", body: "Create this month's bills for every contract in one go." },
  },
  bakongPrompt: {
    title: "Renters cannot pay by KHQR yet",
    body: "Add your Bakong account (for example name@bank) so each invoice carries a QR code renters can scan with their bank app.",
    link: "Add the Bakong account",
    askOwner: "Ask the workspace owner to add it in Settings.",
  },
};

const km: typeof en = {
  title: "រៀបចំកន្លែងធ្វើការរបស់អ្នក",
  progress: "បានធ្វើរួច {done} ក្នុងចំណោម {total} ជំហាន",
  done: "រួចរាល់",
  todo: "មិនទាន់ធ្វើ",
  dismiss: "លាក់បញ្ជីនេះ",
  keep: "ទុកវា",
  dismissTitle: "លាក់បញ្ជីរៀបចំ?",
  dismissBody: "បញ្ជីនេះនឹងបាត់សម្រាប់អ្នកទាំងអស់ក្នុងកន្លែងធ្វើការនេះ។ ទំព័រទាំងអស់នៅតែមាននៅក្នុងម៉ឺនុយ។",
  dismissed: "បញ្ជីរៀបចំត្រូវបានលាក់។",
  steps: {
    units: { title: "បន្ថែមអចលនទ្រព្យ និងបន្ទប់", body: "អគារ ផ្ទះ ឬតូបរបស់អ្នក និងបន្ទប់ ឬកន្លែងនីមួយៗដែលអ្នកជួល។" },
    renters: { title: "បន្ថែមអ្នកជួល", body: "ឈ្មោះ និងលេខទូរស័ព្ទរបស់អ្នកជួលម្នាក់ៗ។" },
    contracts: { title: "ធ្វើកិច្ចសន្យា", body: "អ្នកណាជួលបន្ទប់ណា ចាប់ពីពេលណា និងថ្លៃជួលប្រចាំខែ។" },
    bakong: { title: "បន្ថែមគណនី Bakong", body: "ដើម្បីឱ្យអ្នកជួលអាចបង់ដោយស្កេនកូដ KHQR ជាមួយកម្មវិធីធនាគាររបស់ពួកគេ។" },
    readings: { title: "បញ្ចូលលេខកុងទ័រដំបូង", body: "កុងទ័រភ្លើង និងទឹក ដើម្បីឱ្យវិក្កយបត្រដំបូងគិតថ្លៃប្រើប្រាស់។" },
    invoices: { title: "ផ្ញើវិក្កយបត្រដំបូង", body: "បង្កើតវិក្កយបត្រខែនេះសម្រាប់កិច្ចសន្យាទាំងអស់ក្នុងពេលតែមួយ។" },
  },
  bakongPrompt: {
    title: "អ្នកជួលមិនទាន់អាចបង់តាម KHQR បានទេ",
    body: "បន្ថែមគណនី Bakong របស់អ្នក (ឧទាហរណ៍ name@bank) ដើម្បីឱ្យវិក្កយបត្រនីមួយៗមានកូដ QR ដែលអ្នកជួលអាចស្កេនជាមួយកម្មវិធីធនាគារ។",
    link: "បន្ថែមគណនី Bakong",
    askOwner: "សូមស្នើម្ចាស់កន្លែងធ្វើការឱ្យបន្ថែមវានៅក្នុងការកំណត់។",
  },
};

export const onboarding = { en, km };
