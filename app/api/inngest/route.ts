import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { otherMethods } from "@/lib/api/route-wrappers";

export const { GET, POST, PUT } = serve({ client: inngest, functions });

// Every other method: 405 in the JSON error shape.
export const { PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST", "PUT");
