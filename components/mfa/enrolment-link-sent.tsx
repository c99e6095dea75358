import { FormAlert } from "@/components/auth/form-alert";

/** An un-enrolled admin without a valid enrolment link: no QR code, only where to find the link. */
export function EnrolmentLinkSent({ body, invalidLink }: { body: string; invalidLink?: string }) {
  return (
    <div className="space-y-4" data-testid="mfa-check-email">
      {invalidLink ? <FormAlert message={invalidLink} /> : null}
      <p className="text-sm text-slate-700" role="status">
        {body}
      </p>
    </div>
  );
}
