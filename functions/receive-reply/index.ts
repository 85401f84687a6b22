import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type * as S3 from "@aws-sdk/client-s3";
import middy from "@middy/core";
import type { Context, SESEvent } from "aws-lambda";
import { awsClientOptions } from "#adapters/aws/client-options.ts";
import { InvalidEnvironment, lambdaRuntime } from "../composition-root.ts";
import { logger } from "../logger.ts";
import { createReceiveReply, type InboundMail, type ReplyOutcome } from "./handler.ts";
import {
  readInboundMailLocation,
  receiptOf,
  receiveSesReceipt,
  type RawMailSource,
  type SesReceiptOutcome,
} from "./ses-receipt.ts";

const runtime = lambdaRuntime("receive-reply");

/**
 * The raw mail the receipt rule's S3 action stored, read with a HEAD first. The S3 client is
 * loaded on first use, not with the module: the SDK is most of a cold module load.
 */
const s3Source = (bucket: string): RawMailSource => {
  let s3: Promise<{ client: S3.S3Client; sdk: typeof S3 }> | undefined;
  const connect = () =>
    (s3 ??= import("@aws-sdk/client-s3").then((sdk) => ({
      client: new sdk.S3Client(awsClientOptions),
      sdk,
    })));
  return {
    async size(key) {
      const { client, sdk } = await connect();
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.ContentLength ?? Number.POSITIVE_INFINITY;
    },
    async read(key) {
      const { client, sdk } = await connect();
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!object.Body) throw new Error("the stored mail has no body");
      return Buffer.from(await object.Body.transformToByteArray());
    },
  };
};

/** The bucket and prefix, read on first use; not (yet) a port of the composition root. */
let inbound: { source: RawMailSource; prefix: string } | undefined;
const inboundMail = () => {
  if (inbound) return inbound;
  const location = readInboundMailLocation(process.env);
  if ("problems" in location)
    throw new InvalidEnvironment(`this function's environment is not valid: ${location.problems.join("; ")}`);
  inbound = { source: s3Source(location.bucket), prefix: location.prefix };
  return inbound;
};

let receive: ((mail: InboundMail) => Promise<ReplyOutcome>) | undefined;

/**
 * Lambda entry: SES's receipt rule stored the raw mail in S3, then invoked this function
 * asynchronously with the receipt. The mail is read (after a HEAD: over 10 MB it is not) and
 * handed to the very handler the local SMTP server calls. A failure throws, so Lambda retries
 * the invocation and then keeps it in the dead-letter queue; the mail stays in S3 meanwhile.
 * Only the outcome's kind is logged, never an address or a body.
 */
export const handler = middy(async (event: SESEvent, _context: Context): Promise<SesReceiptOutcome> => {
  const receipt = receiptOf(event);
  const { source, prefix } = inboundMail();
  receive ??= createReceiveReply((await runtime()).ports);
  const outcome = await receiveSesReceipt(receipt, { source, prefix, receive });
  logger.info("ses receipt handled", { outcome });
  return outcome;
}).use(injectLambdaContext(logger, { resetKeys: true }));
