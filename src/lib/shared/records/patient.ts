import { z } from 'zod';
import { optionalDate, optionalEnum, optionalText, requiredText, SHORT_TEXT } from './fields.ts';
import { isNhsNumber, NHS_NUMBER_SYSTEM } from './nhs-number.ts';

export const AdministrativeGender = z.enum(['male', 'female', 'other', 'unknown']);
export type AdministrativeGender = z.infer<typeof AdministrativeGender>;

export const HumanName = z
	.object(
		{
			given: z
				.array(z.string({ error: 'Enter the given names as text' }).trim().max(100))
				.max(10, 'Enter at most 10 given names')
				.nullish()
				.transform((names) => (names ?? []).filter((name) => name.length > 0)),
			family: optionalText(100)
		},
		{ error: 'Enter a given or family name' }
	)
	.refine((name) => name.given.length > 0 || name.family !== undefined, {
		error: 'Enter a given or family name'
	});
export type HumanName = z.infer<typeof HumanName>;

// `system` is a URI for a known scheme (NHS_NUMBER_SYSTEM) or the label a clinic uses ("MRN").
export const Identifier = z
	.object({
		system: requiredText('Say what kind of number this is, e.g. MRN or NHS number'),
		value: requiredText('Enter the number', 64)
	})
	.superRefine((identifier, ctx) => {
		if (identifier.system === NHS_NUMBER_SYSTEM && !isNhsNumber(identifier.value)) {
			ctx.addIssue({
				code: 'custom',
				path: ['value'],
				message: 'This is not a valid NHS number — check for a mistyped digit'
			});
		}
	});
export type Identifier = z.infer<typeof Identifier>;

export const Address = z
	.object({
		lines: z
			.array(z.string({ error: 'Enter the address as text' }).trim().max(SHORT_TEXT))
			.max(5, 'Use at most 5 address lines')
			.nullish()
			.transform((lines) => (lines ?? []).filter((line) => line.length > 0)),
		city: optionalText(100),
		postalCode: optionalText(20),
		country: optionalText(100)
	})
	.nullish()
	.transform((address) =>
		address && (address.lines.length > 0 || address.city || address.postalCode || address.country)
			? address
			: undefined
	);
export type Address = z.infer<typeof Address>;

const PHONE_HINT = 'Enter a phone number like +44 20 7946 0958';
const EMAIL_HINT = 'Enter an email address like name@example.com';

// Phone, email and address are top-level fields rather than one `contact` object so that two
// devices changing different contact details merge without a conflict (fields merge one by one).
export const Patient = z.object({
	name: HumanName,
	birthDate: optionalDate().refine(
		(date) => date === undefined || date <= new Date().toISOString().slice(0, 10),
		'The birth date cannot be in the future'
	),
	sex: optionalEnum(AdministrativeGender.enum, 'Choose male, female, other or unknown'),
	identifiers: z
		.array(Identifier)
		.max(20, 'Keep at most 20 identifiers')
		.nullish()
		.transform((identifiers) => identifiers ?? []),
	phone: optionalText(32).refine(
		(phone) => phone === undefined || /^\+?[\d\s().-]{3,32}$/.test(phone),
		PHONE_HINT
	),
	email: optionalText(254).refine(
		(email) => email === undefined || z.email().safeParse(email).success,
		EMAIL_HINT
	),
	address: Address
});
export type Patient = z.infer<typeof Patient>;
