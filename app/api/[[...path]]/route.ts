// /api and every /api path no route claims answers the JSON error shape (Next's default is an HTML page),
// whatever the method. Counted against the per-address API limit, so scanning costs like any call.
import { ApiError } from "@/lib/api/errors";
import { withAnonymous } from "@/lib/api/route-wrappers";

export const dynamic = "force-dynamic";

const notFound = withAnonymous(async () => {
  throw new ApiError("not_found", "No API endpoint at this path.");
});

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as OPTIONS };
