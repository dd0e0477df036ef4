import { ChangePasswordForm, DeleteAccountForm } from "@/components/account-forms";
import { requireUser } from "@/lib/auth/current-user";

export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <div className="max-w-lg space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Account</h1>
        <p className="mt-1 text-sm text-slate-500">
          Signed in as <span className="font-medium text-slate-700">{user.email}</span>.
        </p>
      </div>
      <section className="rounded-xl border border-slate-200 bg-white p-6">
        <h2 className="text-lg font-semibold">Change password</h2>
        <p className="mb-4 mt-1 text-sm text-slate-500">You stay signed in here; every other device is signed out.</p>
        <ChangePasswordForm />
      </section>
      <section className="rounded-xl border border-red-200 bg-white p-6">
        <h2 className="text-lg font-semibold text-red-800">Delete account</h2>
        <p className="mb-4 mt-1 text-sm text-slate-500">
          Deletes your account, every connected Amazon account and all their data. This cannot be undone.
        </p>
        <DeleteAccountForm />
      </section>
    </div>
  );
}
