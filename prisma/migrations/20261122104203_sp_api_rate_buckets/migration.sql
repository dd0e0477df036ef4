-- CreateTable
CREATE TABLE "SpApiRateBucket" (
    "sellingPartnerId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,
    "burst" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SpApiRateBucket_pkey" PRIMARY KEY ("sellingPartnerId","operation")
);
