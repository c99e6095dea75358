// Uploads and stored files (FileService, /api/files, <FileUpload>). km is typed against en.
const en = {
  choose: "Choose a file",
  chooseImage: "Choose a photo",
  uploading: "Uploading…",
  uploaded: "“{name}” uploaded.",
  uploadFailed: "The file could not be uploaded.",
  hintImages: "PNG, JPEG or WebP, up to {maxMb} MB.",
  hintLogo: "PNG or JPEG, up to {maxMb} MB.",
  hintImagesOrPdf: "PNG, JPEG, WebP or PDF, up to {maxMb} MB.",
  open: "Open file",
  errors: {
    empty: "Choose a file to upload.",
    tooLarge: "The file is too large (at most {maxMb} MB).",
    imageOnly: "Only photos can be uploaded here (PNG, JPEG or WebP).",
    pngOrJpegOnly: "Only PNG or JPEG images can be used here.",
    imageOrPdfOnly: "Only photos (PNG, JPEG, WebP) or PDF documents can be uploaded here.",
    imageTooLarge:
      "This image is too large ({width} × {height} pixels). Use one of at most {maxSide} pixels a side and {maxMegapixels} megapixels.",
    imageDamaged: "This image is damaged or incomplete. Save it again and upload the new file.",
    badPurpose: "Unknown kind of upload.",
    notFound: "That file does not exist in this workspace.",
    wrongPurpose: "That file was uploaded for something else.",
  },
  logo: {
    title: "Workspace logo",
    intro: "Shown on rent invoices, receipts and e-mails to renters.",
    none: "No logo yet.",
    alt: "Logo of {workspace}",
    remove: "Remove logo",
    saved: "Logo saved.",
    removed: "Logo removed.",
    confirmRemoveTitle: "Remove the logo?",
    confirmRemoveText: "Invoices and e-mails will show the workspace name only.",
  },
};

const km: typeof en = {
  choose: "ជ្រើសរើសឯកសារ",
  chooseImage: "ជ្រើសរើសរូបថត",
  uploading: "កំពុងផ្ទុកឡើង…",
  uploaded: "បានផ្ទុកឡើង “{name}”។",
  uploadFailed: "មិនអាចផ្ទុកឯកសារឡើងបានទេ។",
  hintImages: "PNG, JPEG ឬ WebP មិនលើស {maxMb} MB។",
  hintLogo: "PNG ឬ JPEG មិនលើស {maxMb} MB។",
  hintImagesOrPdf: "PNG, JPEG, WebP ឬ PDF មិនលើស {maxMb} MB។",
  open: "បើកឯកសារ",
  errors: {
    empty: "សូមជ្រើសរើសឯកសារដើម្បីផ្ទុកឡើង។",
    tooLarge: "ឯកសារធំពេក (យ៉ាងច្រើន {maxMb} MB)។",
    imageOnly: "អាចផ្ទុកឡើងតែរូបថតប៉ុណ្ណោះនៅទីនេះ (PNG, JPEG ឬ WebP)។",
    pngOrJpegOnly: "អាចប្រើតែរូបភាព PNG ឬ JPEG ប៉ុណ្ណោះនៅទីនេះ។",
    imageOrPdfOnly: "អាចផ្ទុកឡើងតែរូបថត (PNG, JPEG, WebP) ឬឯកសារ PDF ប៉ុណ្ណោះនៅទីនេះ។",
    imageTooLarge:
      "រូបភាពនេះធំពេក ({width} × {height} ភីកសែល)។ សូមប្រើរូបភាពដែលមានទំហំមិនលើស {maxSide} ភីកសែលក្នុងមួយជ្រុង និង {maxMegapixels} មេហ្គាភីកសែល។",
    imageDamaged: "រូបភាពនេះខូច ឬមិនពេញលេញ។ សូមរក្សាទុកវាម្តងទៀត ហើយផ្ទុកឯកសារថ្មីនោះឡើង។",
    badPurpose: "ប្រភេទនៃការផ្ទុកឡើងមិនស្គាល់។",
    notFound: "ឯកសារនោះមិនមាននៅក្នុងកន្លែងធ្វើការនេះទេ។",
    wrongPurpose: "ឯកសារនោះត្រូវបានផ្ទុកឡើងសម្រាប់គោលបំណងផ្សេង។",
  },
  logo: {
    title: "ឡូហ្គោកន្លែងធ្វើការ",
    intro: "បង្ហាញនៅលើវិក្កយបត្រថ្លៃជួល បង្កាន់ដៃ និងអ៊ីមែលទៅអ្នកជួល។",
    none: "មិនទាន់មានឡូហ្គោនៅឡើយទេ។",
    alt: "ឡូហ្គោរបស់ {workspace}",
    remove: "លុបឡូហ្គោ",
    saved: "បានរក្សាទុកឡូហ្គោ។",
    removed: "បានលុបឡូហ្គោ។",
    confirmRemoveTitle: "លុបឡូហ្គោមែនទេ?",
    confirmRemoveText: "វិក្កយបត្រ និងអ៊ីមែលនឹងបង្ហាញតែឈ្មោះកន្លែងធ្វើការប៉ុណ្ណោះ។",
  },
};

export const files = { en, km };
