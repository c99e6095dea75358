-- AlterEnum
ALTER TYPE "AuthTokenKind" ADD VALUE 'mfa_enrolment';
