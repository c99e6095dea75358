// "Export my data" on /settings (owners) and the export's errors. km is typed against en.
const en = {
  title: "Export my data",
  intro:
    "Download everything in this workspace as one zip file: properties, units, renters, contracts, invoices, payments, messages, the audit log, and every uploaded file (including private ID documents). A README inside explains the format.",
  warning: "The file holds renters’ private documents. Keep it somewhere safe.",
  download: "Download the export",
  started: "Your export is downloading. Large workspaces take a while.",
  ownerOnly: "Only an owner of this workspace can export its data.",
  errors: {
    ownerOnly: "Only an owner of this workspace can export its data.",
  },
};

const km: typeof en = {
  title: "នាំចេញទិន្នន័យរបស់ខ្ញុំ",
  intro:
    "ទាញយកអ្វីៗទាំងអស់ក្នុងកន្លែងធ្វើការនេះជាឯកសារ zip តែមួយ៖ អចលនទ្រព្យ បន្ទប់ អ្នកជួល កិច្ចសន្យា វិក្កយបត្រ ការបង់ប្រាក់ សារ កំណត់ហេតុសវនកម្ម និងឯកសារដែលបានផ្ទុកឡើងទាំងអស់ (រួមទាំងឯកសារអត្តសញ្ញាណឯកជន)។ ឯកសារ README នៅខាងក្នុងពន្យល់ពីទម្រង់។",
  warning: "ឯកសារនេះមានឯកសារឯកជនរបស់អ្នកជួល។ សូមរក្សាទុកវានៅកន្លែងដែលមានសុវត្ថិភាព។",
  download: "ទាញយកឯកសារនាំចេញ",
  started: "ការនាំចេញរបស់អ្នកកំពុងទាញយក។ កន្លែងធ្វើការធំៗត្រូវការពេលបន្តិច។",
  ownerOnly: "មានតែម្ចាស់កន្លែងធ្វើការនេះប៉ុណ្ណោះដែលអាចនាំចេញទិន្នន័យរបស់វាបាន។",
  errors: {
    ownerOnly: "មានតែម្ចាស់កន្លែងធ្វើការនេះប៉ុណ្ណោះដែលអាចនាំចេញទិន្នន័យរបស់វាបាន។",
  },
};

export const workspaceExport = { en, km };
