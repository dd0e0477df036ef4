// A plain link: the server answers /api/amazon/connect with a redirect to Amazon's consent page.
export function ConnectAmazonButton({ variant = "primary" }: { variant?: "primary" | "secondary" }) {
  const style =
    variant === "primary"
      ? "bg-amber-500 text-slate-900 hover:bg-amber-400"
      : "border border-slate-300 bg-white text-slate-700 hover:bg-slate-100";
  return (
    <a href="/api/amazon/connect" className={`inline-flex items-center rounded-md px-4 py-2 text-sm font-semibold ${style}`}>
      Connect Amazon
    </a>
  );
}
