// DELETE /api/unit-costs/:id: remove one SKU's cost (204).
import { otherMethods } from "@/lib/api/route-wrappers";
import { deleteUnitCostHandler } from "@/lib/detection/unit-costs/handlers";

export const dynamic = "force-dynamic";

export const DELETE = deleteUnitCostHandler;

// Every other method: 405 in the JSON error shape.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
