import type { RoleDefinition } from "#domain/role.ts";
import { emphasis, paragraph, type Block } from "#messages/email-kit/blocks.ts";

/**
 * The role an email is about, set apart: its name, then what it involves. The emails about a
 * vacancy say how to answer in the words the readers read (readVolunteering, readChoice,
 * readObjection).
 */
export const aboutRole = (definition: RoleDefinition): Block[] => [
  emphasis(definition.name),
  ...(definition.description ? [paragraph(definition.description)] : []),
];
