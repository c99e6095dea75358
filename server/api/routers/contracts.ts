import {
  attachScanSchema,
  closeContractSchema,
  contractIdSchema,
  createContractSchema,
  listContractsSchema,
  renterOptionsSchema,
  unitOptionsSchema,
  updateContractSchema,
} from "@/lib/schemas/contracts";
import { ContractQueries } from "@/server/contracts/contract-queries";
import { ContractService } from "@/server/contracts/contract-service";
import { createTRPCRouter, withPermission } from "../trpc";

const view = withPermission("contracts.view");
const manage = withPermission("contracts.manage");

export const contractsRouter = createTRPCRouter({
  list: view.input(listContractsSchema).query(({ ctx, input }) => new ContractQueries(ctx.tenant).list(input)),
  get: view.input(contractIdSchema).query(({ ctx, input }) => new ContractQueries(ctx.tenant).get(input.contractId)),
  unitOptions: manage.input(unitOptionsSchema).query(({ ctx, input }) => new ContractQueries(ctx.tenant).unitOptions(input)),
  renterOptions: manage.input(renterOptionsSchema).query(({ ctx, input }) => new ContractQueries(ctx.tenant).renterOptions(input)),
  create: manage.input(createContractSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).create(input)),
  update: manage.input(updateContractSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).update(input)),
  deleteDraft: manage.input(contractIdSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).deleteDraft(input.contractId)),
  activate: manage.input(contractIdSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).activate(input.contractId)),
  end: manage.input(closeContractSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).close("end", input)),
  terminate: manage.input(closeContractSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).close("terminate", input)),
  attachScan: manage.input(attachScanSchema).mutation(({ ctx, input }) => new ContractService(ctx.tenant).attachScan(input)),
});
