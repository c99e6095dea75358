// Billing e-mails (receipt, invoice issued, reminders, status changes). km is typed against en.
const en = {
  receipt: {
    subject: "Receipt {number} — {workspace}",
    body: "We received your payment of {amount} for invoice {number} on {date}. Thank you!",
    cta: "Download the receipt (PDF)",
  },
  invoiceIssued: {
    subject: "New invoice {number} — {workspace}",
    body: "Invoice {number} for {amount} ({plan}) is due on {due}. You can pay it with any Bakong KHQR banking app.",
    cta: "Pay with KHQR",
  },
  reminder: {
    subjectBefore: "Reminder: invoice {number} is due on {due}",
    subjectAfter: "Invoice {number} is overdue",
    bodyBefore: "Invoice {number} for {amount} is due on {due}. Pay it in time to keep {workspace} running without interruption.",
    bodyAfter: "Invoice {number} for {amount} was due on {due}. Please pay it to keep {workspace} running.",
    cta: "Pay now",
  },
  status: {
    pastDueSubject: "Payment needed for {workspace}",
    pastDueBody:
      "Your subscription's renewal is unpaid. {workspace} keeps working until {grace}; after that it becomes read-only until paid.",
    suspendedSubject: "{workspace} is read-only",
    suspendedBody:
      "The renewal is still unpaid, so {workspace} is now read-only: your data is safe and readable, but changes are paused until you pay.",
    canceledSubject: "{workspace} subscription canceled",
    canceledBody:
      "The subscription of {workspace} was canceled after a long suspension. Nothing was deleted: paying an invoice reactivates it.",
    activeSubject: "{workspace} is active",
    activeBody: "Thank you: the subscription of {workspace} is active again.",
    cta: "Open billing",
  },
};

const km: typeof en = {
  receipt: {
    subject: "បង្កាន់ដៃ {number} — {workspace}",
    body: "យើងបានទទួលការបង់ប្រាក់ចំនួន {amount} សម្រាប់វិក្កយបត្រ {number} នៅថ្ងៃ {date}។ សូមអរគុណ!",
    cta: "ទាញយកបង្កាន់ដៃ (PDF)",
  },
  invoiceIssued: {
    subject: "វិក្កយបត្រថ្មី {number} — {workspace}",
    body: "វិក្កយបត្រ {number} ចំនួន {amount} ({plan}) ត្រូវបង់នៅថ្ងៃ {due}។ អ្នកអាចបង់ដោយកម្មវិធីធនាគារណាមួយដែលគាំទ្រ Bakong KHQR។",
    cta: "បង់តាម KHQR",
  },
  reminder: {
    subjectBefore: "រំលឹក៖ វិក្កយបត្រ {number} ត្រូវបង់នៅថ្ងៃ {due}",
    subjectAfter: "វិក្កយបត្រ {number} ហួសកាលកំណត់",
    bodyBefore: "វិក្កយបត្រ {number} ចំនួន {amount} ត្រូវបង់នៅថ្ងៃ {due}។ សូមបង់ទាន់ពេល ដើម្បីឱ្យ {workspace} ដំណើរការដោយគ្មានការរំខាន។",
    bodyAfter: "វិក្កយបត្រ {number} ចំនួន {amount} ត្រូវបង់តាំងពីថ្ងៃ {due}។ សូមបង់ ដើម្បីឱ្យ {workspace} បន្តដំណើរការ។",
    cta: "បង់ឥឡូវនេះ",
  },
  status: {
    pastDueSubject: "ត្រូវការការបង់ប្រាក់សម្រាប់ {workspace}",
    pastDueBody: "ការបន្តការជាវរបស់អ្នកមិនទាន់បានបង់ទេ។ {workspace} នៅតែដំណើរការរហូតដល់ {grace}។ បន្ទាប់ពីនោះ វានឹងអាចតែអានបានរហូតដល់ពេលបង់។",
    suspendedSubject: "{workspace} អាចតែអានបានប៉ុណ្ណោះ",
    suspendedBody: "ការបន្តនៅតែមិនទាន់បានបង់ ដូច្នេះ {workspace} ឥឡូវអាចតែអានបាន៖ ទិន្នន័យរបស់អ្នកមានសុវត្ថិភាព ប៉ុន្តែការកែប្រែត្រូវបានផ្អាករហូតដល់អ្នកបង់ប្រាក់។",
    canceledSubject: "ការជាវ {workspace} ត្រូវបានលុបចោល",
    canceledBody: "ការជាវរបស់ {workspace} ត្រូវបានលុបចោល បន្ទាប់ពីការផ្អាកយូរ។ គ្មានអ្វីត្រូវបានលុបទេ៖ ការបង់វិក្កយបត្រនឹងធ្វើឱ្យវាដំណើរការឡើងវិញ។",
    activeSubject: "{workspace} ដំណើរការវិញហើយ",
    activeBody: "សូមអរគុណ៖ ការជាវរបស់ {workspace} ដំណើរការឡើងវិញហើយ។",
    cta: "បើកទំព័រវិក្កយបត្រ",
  },
};

export const billingMail = { en, km };
