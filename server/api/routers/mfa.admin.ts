import { confirmEnrollmentSchema, regenerateRecoveryCodesSchema, startEnrollmentSchema, verifyMfaSchema } from "@/lib/schemas/mfa";
import { MfaService } from "@/server/auth/mfa.admin";
import { adminMfaPendingProcedure, adminProcedure, createTRPCRouter } from "../trpc";

// Two-factor authentication of platform admins. The enrolment and sign-in steps run before the
// session has passed 2FA (adminMfaPendingProcedure); renewing recovery codes needs a verified one.
export const mfaRouter = createTRPCRouter({
  status: adminMfaPendingProcedure.query(({ ctx }) => new MfaService(ctx.meta).status(ctx.session)),
  requestEnrolmentLink: adminMfaPendingProcedure.mutation(({ ctx }) => new MfaService(ctx.meta).requestEnrolmentLink(ctx.session)),
  enrolmentLinkValid: adminMfaPendingProcedure
    .input(startEnrollmentSchema)
    .query(({ ctx, input }) => new MfaService(ctx.meta).enrolmentLinkValid(ctx.session, input.enrolmentToken)),
  startEnrollment: adminMfaPendingProcedure
    .input(startEnrollmentSchema)
    .mutation(({ ctx, input }) => new MfaService(ctx.meta).startEnrollment(ctx.session, input.enrolmentToken)),
  confirmEnrollment: adminMfaPendingProcedure
    .input(confirmEnrollmentSchema)
    .mutation(({ ctx, input }) => new MfaService(ctx.meta).confirmEnrollment(ctx.session, input.code, input.enrolmentToken)),
  verify: adminMfaPendingProcedure
    .input(verifyMfaSchema)
    .mutation(({ ctx, input }) => new MfaService(ctx.meta).verify(ctx.session, input.code)),
  regenerateRecoveryCodes: adminProcedure
    .input(regenerateRecoveryCodesSchema)
    .mutation(({ ctx, input }) => new MfaService(ctx.meta).regenerateRecoveryCodes(ctx.session, input.code)),
});
