// A form posting to the sign-out server action: ends this browser's session on the server, also
// without JavaScript.
import { signOutAction } from "@/app/signin/actions";

export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="whitespace-nowrap rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100">
        Sign out
      </button>
    </form>
  );
}
