// Typings for `bakong-khqr@1.0.20` (NBC's KHQR JavaScript SDK), which ships none of its own
// (`@types/bakong-khqr` is outdated). Only what the package really exports, checked against
// node_modules/bakong-khqr/src. The constructor order below is the real one; the package
// README shows a different (wrong) order that silently builds a bad QR.
declare module "bakong-khqr" {
  export type KHQRCurrencyCode = 116 | 840;

  export interface KHQRStatus {
    /** 0 = success, 1 = error */
    code: 0 | 1;
    /** the SDK's error code (e.g. 4 amount invalid, 45 expiration required); null on success */
    errorCode: number | null;
    message: string | null;
  }

  export interface KHQRResponse<T> {
    status: KHQRStatus;
    data: T | null;
  }

  /** Optional data of a KHQR. Empty strings / null are dropped by the SDK. */
  export interface KHQROptionalData {
    /** khqrData.currency.khr (116, the default) or .usd (840) */
    currency?: KHQRCurrencyCode;
    /** KHR: an integer; USD: at most 2 decimals. A non-zero amount makes a dynamic QR. */
    amount?: number | string;
    billNumber?: string;
    storeLabel?: string;
    terminalLabel?: string;
    mobileNumber?: string;
    purposeOfTransaction?: string;
    accountInformation?: string;
    acquiringBank?: string;
    languagePreference?: string;
    merchantNameAlternateLanguage?: string;
    merchantCityAlternateLanguage?: string;
    upiMerchantAccount?: string;
    /** 13-digit epoch milliseconds; required (and in the future) for a dynamic QR */
    expirationTimestamp?: number;
    /** default "5999" */
    merchantCategoryCode?: string;
  }

  export class IndividualInfo {
    constructor(bakongAccountID: string, merchantName: string, merchantCity: string, optional?: KHQROptionalData);
    bakongAccountID: string;
    merchantName: string;
    merchantCity: string;
    currency: KHQRCurrencyCode;
    amount?: number | string;
    expirationTimestamp?: number;
  }

  export class MerchantInfo extends IndividualInfo {
    constructor(
      bakongAccountID: string,
      merchantName: string,
      merchantCity: string,
      merchantID: string,
      acquiringBank: string,
      optional?: KHQROptionalData,
    );
    merchantID: string;
    acquiringBank: string;
  }

  export class SourceInfo {
    constructor(appIconUrl: string, appName: string, appDeepLinkCallback: string);
    appIconUrl: string | null;
    appName: string | null;
    appDeepLinkCallback: string | null;
  }

  export const khqrData: {
    currency: { usd: 840; khr: 116 };
    merchantType: { merchant: "merchant"; individual: "individual" };
  };

  export interface KHQRGenerated {
    qr: string;
    /** lowercase hex MD5 of the whole QR string */
    md5: string;
  }

  /** What `BakongKHQR.decode` returns: every value is the raw string of its tag (or null). */
  export interface KHQRDecoded {
    /** "29" individual, "30" merchant */
    merchantType: string | null;
    bakongAccountID: string | null;
    accountInformation: string | null;
    merchantID: string | null;
    acquiringBank: string | null;
    billNumber: string | null;
    mobileNumber: string | null;
    storeLabel: string | null;
    terminalLabel: string | null;
    purposeOfTransaction: string | null;
    languagePreference: string | null;
    merchantNameAlternateLanguage: string | null;
    merchantCityAlternateLanguage: string | null;
    creationTimestamp: string | null;
    expirationTimestamp: string | null;
    payloadFormatIndicator: string | null;
    /** "11" static, "12" dynamic */
    pointofInitiationMethod: string | null;
    unionPayMerchant: string | null;
    merchantCategoryCode: string | null;
    /** "840" or "116" */
    transactionCurrency: string | null;
    transactionAmount: string | null;
    countryCode: string | null;
    merchantName: string | null;
    merchantCity: string | null;
    crc: string | null;
  }

  export class BakongKHQR {
    generateIndividual(info: IndividualInfo): KHQRResponse<KHQRGenerated>;
    generateMerchant(info: MerchantInfo): KHQRResponse<KHQRGenerated>;
    /** CRC + structure + (for dynamic QRs) not expired. */
    static verify(qr: string): { isValid: boolean };
    /** Does NOT validate: call verify first. */
    static decode(qr: string): KHQRResponse<KHQRDecoded>;
    static decodeNonKhqr(qr: string): KHQRResponse<Record<string, unknown>>;
    /** Uses the SDK's bundled axios: not used by Phteah (server/payments/bakong-client.ts calls the API with fetch). */
    static generateDeepLink(url: string, qr: string, sourceInfo?: SourceInfo): Promise<KHQRResponse<{ shortLink: string }>>;
    /** Uses the SDK's bundled axios: not used by Phteah. */
    static checkBakongAccount(url: string, bakongID: string): Promise<KHQRResponse<{ bakongAccountExisted: boolean }>>;
  }
}
