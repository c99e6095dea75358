// Workspace deletion (Danger zone on /settings, the closed page, the console), renter erasure,
// account deletion and consent at sign-up. km is typed against en.
const workspaceDeletionEn = {
  title: "Danger zone",
  intro:
    "Deleting the workspace closes it at once for everyone: no sign-in, no billing, no invoices or reminders, pay links stop. An owner can restore it for {days} days; after that every property, renter, contract, invoice, payment and file in it is deleted for good.",
  ownerOnly: "Only an owner can delete the workspace.",
  deleteButton: "Delete this workspace",
  confirmTitle: "Delete {workspace}?",
  confirmBody: "Type the workspace address {slug} and your password to confirm.",
  slugLabel: "Workspace address",
  passwordLabel: "Your password",
  confirmButton: "Close and delete",
  cancel: "Cancel",
  closedToast: "The workspace is closed. It will be deleted on {date}.",
  closedTitle: "This workspace is scheduled for deletion",
  closedBody: "{workspace} was closed on {closedAt} and will be deleted for good on {date}. Until then nothing is lost.",
  closedOwner: "You can restore it until then.",
  closedMember: "Only an owner of the workspace can restore it.",
  restore: "Restore the workspace",
  restoreConfirmTitle: "Restore {workspace}?",
  restoreConfirmBody: "Everyone's access comes back and billing, invoices and reminders resume.",
  restored: "The workspace is restored.",
  adminRestore: "Restore workspace",
  adminClosed: "Closed by its owner; deleted for good on {date}.",
  jobTitle: "Delete closed workspaces after their grace period",
  errors: {
    slugMismatch: "The address you typed does not match this workspace.",
    wrongPassword: "The password is wrong.",
    notOwner: "Only an owner can delete or restore this workspace.",
    notClosed: "This workspace is not scheduled for deletion.",
    graceOver: "The grace period is over: this workspace can no longer be restored.",
    closed: "This workspace is closed for deletion. Restore it first.",
    impersonated: "A support session cannot delete or restore a workspace.",
  },
};

const workspaceDeletionKm: typeof workspaceDeletionEn = {
  title: "តំបន់គ្រោះថ្នាក់",
  intro:
    "ការលុបកន្លែងធ្វើការនឹងបិទវាភ្លាមៗសម្រាប់អ្នកទាំងអស់គ្នា៖ មិនអាចចូលប្រើ មិនគិតប្រាក់ មិនចេញវិក្កយបត្រ ឬរំលឹក ហើយតំណបង់ប្រាក់ឈប់ដំណើរការ។ ម្ចាស់អាចស្ដារវាវិញក្នុងរយៈពេល {days} ថ្ងៃ។ បន្ទាប់ពីនោះ អចលនទ្រព្យ អ្នកជួល កិច្ចសន្យា វិក្កយបត្រ ការបង់ប្រាក់ និងឯកសារទាំងអស់ក្នុងនោះនឹងត្រូវលុបជាស្ថាពរ។",
  ownerOnly: "មានតែម្ចាស់ទេដែលអាចលុបកន្លែងធ្វើការបាន។",
  deleteButton: "លុបកន្លែងធ្វើការនេះ",
  confirmTitle: "លុប {workspace} មែនទេ?",
  confirmBody: "វាយអាសយដ្ឋានកន្លែងធ្វើការ {slug} និងពាក្យសម្ងាត់របស់អ្នក ដើម្បីបញ្ជាក់។",
  slugLabel: "អាសយដ្ឋានកន្លែងធ្វើការ",
  passwordLabel: "ពាក្យសម្ងាត់របស់អ្នក",
  confirmButton: "បិទ និងលុប",
  cancel: "បោះបង់",
  closedToast: "កន្លែងធ្វើការត្រូវបានបិទ។ វានឹងត្រូវលុបនៅថ្ងៃ {date}។",
  closedTitle: "កន្លែងធ្វើការនេះគ្រោងនឹងត្រូវលុប",
  closedBody: "{workspace} ត្រូវបានបិទនៅថ្ងៃ {closedAt} ហើយនឹងត្រូវលុបជាស្ថាពរនៅថ្ងៃ {date}។ រហូតដល់ពេលនោះ គ្មានអ្វីបាត់បង់ទេ។",
  closedOwner: "អ្នកអាចស្ដារវាវិញបានរហូតដល់ពេលនោះ។",
  closedMember: "មានតែម្ចាស់កន្លែងធ្វើការទេដែលអាចស្ដារវាវិញបាន។",
  restore: "ស្ដារកន្លែងធ្វើការវិញ",
  restoreConfirmTitle: "ស្ដារ {workspace} វិញមែនទេ?",
  restoreConfirmBody: "ការចូលប្រើរបស់អ្នកទាំងអស់គ្នានឹងត្រឡប់មកវិញ ហើយការគិតប្រាក់ វិក្កយបត្រ និងការរំលឹកនឹងបន្តឡើងវិញ។",
  restored: "កន្លែងធ្វើការត្រូវបានស្ដារវិញ។",
  adminRestore: "ស្ដារកន្លែងធ្វើការ",
  adminClosed: "ត្រូវបានបិទដោយម្ចាស់របស់វា។ នឹងត្រូវលុបជាស្ថាពរនៅថ្ងៃ {date}។",
  jobTitle: "លុបកន្លែងធ្វើការដែលបានបិទ បន្ទាប់ពីរយៈពេលអនុគ្រោះ",
  errors: {
    slugMismatch: "អាសយដ្ឋានដែលអ្នកបានវាយមិនត្រូវនឹងកន្លែងធ្វើការនេះទេ។",
    wrongPassword: "ពាក្យសម្ងាត់មិនត្រឹមត្រូវ។",
    notOwner: "មានតែម្ចាស់ទេដែលអាចលុប ឬស្ដារកន្លែងធ្វើការនេះបាន។",
    notClosed: "កន្លែងធ្វើការនេះមិនបានគ្រោងនឹងត្រូវលុបទេ។",
    graceOver: "រយៈពេលអនុគ្រោះបានផុតហើយ៖ កន្លែងធ្វើការនេះមិនអាចស្ដារវិញបានទៀតទេ។",
    closed: "កន្លែងធ្វើការនេះត្រូវបានបិទដើម្បីលុប។ សូមស្ដារវាវិញជាមុនសិន។",
    impersonated: "វគ្គជំនួយមិនអាចលុប ឬស្ដារកន្លែងធ្វើការបានទេ។",
  },
};

const renterErasureEn = {
  title: "Erase personal data",
  intro:
    "Erases the renter's names, phone, e-mail, Telegram, emergency contact, notes and ID document, and the addresses of messages sent to them. Invoices and payments stay, under an anonymous name.",
  button: "Erase personal data",
  confirmTitle: "Erase this renter's personal data?",
  confirmBody: "This cannot be undone. Type the renter's phone number {phone} to confirm.",
  phoneLabel: "Phone number",
  confirmButton: "Erase",
  cancel: "Cancel",
  erased: "The renter's personal data was erased.",
  erasedName: "Erased renter #{short}",
  erasedOn: "Personal data erased on {date}.",
  errors: {
    openContract: "This renter still has a draft or active contract. End it first.",
    withinRetention:
      "This renter's financial records must be kept until {date} (the legal retention period). Their personal data can be erased after that.",
    phoneMismatch: "The phone number you typed does not match this renter.",
    alreadyErased: "This renter's personal data has already been erased.",
  },
};

const renterErasureKm: typeof renterErasureEn = {
  title: "លុបទិន្នន័យផ្ទាល់ខ្លួន",
  intro:
    "លុបឈ្មោះ លេខទូរស័ព្ទ អ៊ីមែល តេឡេក្រាម អ្នកទំនាក់ទំនងបន្ទាន់ កំណត់ចំណាំ និងឯកសារអត្តសញ្ញាណរបស់អ្នកជួល ព្រមទាំងអាសយដ្ឋាននៃសារដែលបានផ្ញើទៅពួកគេ។ វិក្កយបត្រ និងការបង់ប្រាក់នៅដដែល ក្រោមឈ្មោះអនាមិក។",
  button: "លុបទិន្នន័យផ្ទាល់ខ្លួន",
  confirmTitle: "លុបទិន្នន័យផ្ទាល់ខ្លួនរបស់អ្នកជួលនេះមែនទេ?",
  confirmBody: "សកម្មភាពនេះមិនអាចត្រឡប់វិញបានទេ។ វាយលេខទូរស័ព្ទរបស់អ្នកជួល {phone} ដើម្បីបញ្ជាក់។",
  phoneLabel: "លេខទូរស័ព្ទ",
  confirmButton: "លុប",
  cancel: "បោះបង់",
  erased: "ទិន្នន័យផ្ទាល់ខ្លួនរបស់អ្នកជួលត្រូវបានលុប។",
  erasedName: "អ្នកជួលដែលបានលុប #{short}",
  erasedOn: "ទិន្នន័យផ្ទាល់ខ្លួនត្រូវបានលុបនៅថ្ងៃ {date}។",
  errors: {
    openContract: "អ្នកជួលនេះនៅមានកិច្ចសន្យាព្រាង ឬកំពុងអនុវត្ត។ សូមបញ្ចប់វាជាមុនសិន។",
    withinRetention: "កំណត់ត្រាហិរញ្ញវត្ថុរបស់អ្នកជួលនេះត្រូវរក្សាទុករហូតដល់ថ្ងៃ {date} (រយៈពេលរក្សាទុកតាមច្បាប់)។ ទិន្នន័យផ្ទាល់ខ្លួនរបស់ពួកគេអាចលុបបានបន្ទាប់ពីនោះ។",
    phoneMismatch: "លេខទូរស័ព្ទដែលអ្នកបានវាយមិនត្រូវនឹងអ្នកជួលនេះទេ។",
    alreadyErased: "ទិន្នន័យផ្ទាល់ខ្លួនរបស់អ្នកជួលនេះត្រូវបានលុបរួចហើយ។",
  },
};

const accountDeletionEn = {
  title: "Delete my account",
  intro:
    "Deletes your sign-in, ends all your sessions and removes you from every workspace you belong to. Only possible while you own no workspace.",
  button: "Delete my account",
  confirmTitle: "Delete your account?",
  confirmBody: "This cannot be undone. Type your e-mail address {email} and your password to confirm.",
  emailLabel: "E-mail address",
  passwordLabel: "Your password",
  confirmButton: "Delete my account",
  cancel: "Cancel",
  deleted: "Your account was deleted.",
  errors: {
    ownsWorkspace: "You own {workspaces}. Make someone else an owner or delete the workspace first.",
    emailMismatch: "The e-mail address you typed does not match your account.",
    wrongPassword: "The password is wrong.",
    impersonated: "A support session cannot delete the account.",
  },
};

const accountDeletionKm: typeof accountDeletionEn = {
  title: "លុបគណនីរបស់ខ្ញុំ",
  intro: "លុបការចូលប្រើរបស់អ្នក បញ្ចប់វគ្គទាំងអស់ ហើយដកអ្នកចេញពីគ្រប់កន្លែងធ្វើការដែលអ្នកជាសមាជិក។ អាចធ្វើបានតែពេលអ្នកមិនមែនជាម្ចាស់កន្លែងធ្វើការណាមួយប៉ុណ្ណោះ។",
  button: "លុបគណនីរបស់ខ្ញុំ",
  confirmTitle: "លុបគណនីរបស់អ្នកមែនទេ?",
  confirmBody: "សកម្មភាពនេះមិនអាចត្រឡប់វិញបានទេ។ វាយអាសយដ្ឋានអ៊ីមែល {email} និងពាក្យសម្ងាត់របស់អ្នក ដើម្បីបញ្ជាក់។",
  emailLabel: "អាសយដ្ឋានអ៊ីមែល",
  passwordLabel: "ពាក្យសម្ងាត់របស់អ្នក",
  confirmButton: "លុបគណនីរបស់ខ្ញុំ",
  cancel: "បោះបង់",
  deleted: "គណនីរបស់អ្នកត្រូវបានលុប។",
  errors: {
    ownsWorkspace: "អ្នកជាម្ចាស់ {workspaces}។ សូមតែងតាំងអ្នកផ្សេងជាម្ចាស់ ឬលុបកន្លែងធ្វើការនោះជាមុនសិន។",
    emailMismatch: "អាសយដ្ឋានអ៊ីមែលដែលអ្នកបានវាយមិនត្រូវនឹងគណនីរបស់អ្នកទេ។",
    wrongPassword: "ពាក្យសម្ងាត់មិនត្រឹមត្រូវ។",
    impersonated: "វគ្គជំនួយមិនអាចលុបគណនីបានទេ។",
  },
};

const consentEn = {
  checkbox: "I accept the terms of service (version {terms}) and the privacy notice (version {privacy}).",
  required: "Tick the box to accept the terms of service and the privacy notice.",
  readTerms: "Read the terms of service",
  readPrivacy: "Read the privacy notice",
  termsTitle: "Terms of service",
  privacyTitle: "Privacy notice",
  version: "Version {version}",
  otherDocument: "See also:",
  updatedTitle: "We have updated our terms",
  updatedBody: "The terms of service or the privacy notice changed since you last accepted them. Read them, then accept to continue.",
  acceptButton: "Accept and continue",
  accepting: "Saving…",
  signOut: "Sign out",
  accepted: "Thank you. Your acceptance is recorded.",
  pending: "Accept the updated terms of service and privacy notice to continue.",
};

const consentKm: typeof consentEn = {
  checkbox: "ខ្ញុំយល់ព្រមលើលក្ខខណ្ឌប្រើប្រាស់ (កំណែ {terms}) និងសេចក្ដីជូនដំណឹងអំពីឯកជនភាព (កំណែ {privacy})។",
  required: "សូមធីកប្រអប់ ដើម្បីយល់ព្រមលើលក្ខខណ្ឌប្រើប្រាស់ និងសេចក្ដីជូនដំណឹងអំពីឯកជនភាព។",
  readTerms: "អានលក្ខខណ្ឌប្រើប្រាស់",
  readPrivacy: "អានសេចក្ដីជូនដំណឹងអំពីឯកជនភាព",
  termsTitle: "លក្ខខណ្ឌប្រើប្រាស់",
  privacyTitle: "សេចក្ដីជូនដំណឹងអំពីឯកជនភាព",
  version: "កំណែ {version}",
  otherDocument: "សូមមើលផងដែរ៖",
  updatedTitle: "យើងបានធ្វើបច្ចុប្បន្នភាពលក្ខខណ្ឌរបស់យើង",
  updatedBody: "លក្ខខណ្ឌប្រើប្រាស់ ឬសេចក្ដីជូនដំណឹងអំពីឯកជនភាព បានផ្លាស់ប្ដូរ ចាប់តាំងពីពេលដែលអ្នកបានយល់ព្រមលើកចុងក្រោយ។ សូមអានវា រួចយល់ព្រម ដើម្បីបន្ត។",
  acceptButton: "យល់ព្រម ហើយបន្ត",
  accepting: "កំពុងរក្សាទុក…",
  signOut: "ចាកចេញ",
  accepted: "សូមអរគុណ។ ការយល់ព្រមរបស់អ្នកត្រូវបានកត់ត្រាហើយ។",
  pending: "សូមយល់ព្រមលើលក្ខខណ្ឌប្រើប្រាស់ និងសេចក្ដីជូនដំណឹងអំពីឯកជនភាព ដែលបានធ្វើបច្ចុប្បន្នភាព ដើម្បីបន្ត។",
};

export const workspaceDeletion = { en: workspaceDeletionEn, km: workspaceDeletionKm };
export const renterErasure = { en: renterErasureEn, km: renterErasureKm };
export const accountDeletion = { en: accountDeletionEn, km: accountDeletionKm };
export const consent = { en: consentEn, km: consentKm };
