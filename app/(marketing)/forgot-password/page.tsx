import { ForgotPasswordPage } from "@/components/auth/password-pages";
import { authPageProps } from "@/server/auth-pages";

export default async function Page() {
  return <ForgotPasswordPage {...(await authPageProps()).forgot} />;
}
