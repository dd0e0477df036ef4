import type { ReactNode } from "react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-amber-600">FBA Recovery</p>
        <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
        <p className="mt-1 text-sm text-slate-500">{subtitle}</p>
        <div className="mt-6">{children}</div>
      </div>
    </main>
  );
}

export function Field(props: {
  label: string;
  name: string;
  type: string;
  autoComplete: string;
  hint?: string;
  /** What a reset of the form (React resets it after a server action) returns the input to. */
  defaultValue?: string;
}) {
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{props.label}</span>
      <input
        name={props.name}
        type={props.type}
        autoComplete={props.autoComplete}
        defaultValue={props.defaultValue}
        required
        className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 outline-none focus:border-amber-500 focus:ring-2 focus:ring-amber-200"
      />
      {props.hint && <span className="mt-1 block text-xs text-slate-500">{props.hint}</span>}
    </label>
  );
}

/** A password being chosen, with the rule it must meet (lib/auth/password.ts checks it). */
export function NewPasswordField({ label, name }: { label: string; name: string }) {
  return <Field label={label} name={name} type="password" autoComplete="new-password" hint="At least 10 characters, mixing letters with digits or symbols." />;
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}

export function FormMessage({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="status" data-testid="form-message" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
      {message}
    </p>
  );
}

export const primaryButton =
  "w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60";
