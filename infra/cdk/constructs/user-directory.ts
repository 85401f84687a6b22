import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";
import type { Role } from "#access/principal.ts";

export interface UserDirectoryProps {
  namePrefix: string;
}

/** The Cognito groups that carry Convene's roles into the ID token's cognito:groups claim. */
export const roleGroups: readonly Role[] = ["platform-admin", "umbrella-admin", "group-coordinator"];

/**
 * Who may use the dashboard and the API: a Cognito user pool (invitation only, MFA required)
 * whose ID tokens carry the role as a group and the tenant as `custom:organisation` (with a
 * coordinator's groups in `custom:groups`), the claims shared/access/token-verifier.ts reads.
 * The app client may read those attributes but never write them: only an administrator
 * (AdminUpdateUserAttributes, under IAM) sets who belongs to which organisation. Users sign in
 * on the pool's managed login pages (which also enrol their authenticator app), at a domain
 * `<namePrefix>-<account>`: the prefix is global to the region, the account keeps it unique.
 */
export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;

  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    this.userPool = new cognito.UserPool(this, "Users", {
      userPoolName: `${props.namePrefix}-users`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        organisation: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        groups: new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    roleGroups.forEach((groupName, precedence) => {
      new cognito.UserPoolGroup(this, `Group-${groupName}`, {
        userPool: this.userPool,
        groupName,
        precedence,
        description: `Convene role ${groupName}`,
      });
    });
    this.domain = this.userPool.addDomain("SignIn", {
      cognitoDomain: { domainPrefix: `${props.namePrefix}-${Stack.of(this).account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG8",
      reason:
        "Threat protection (compromised-credential checks, adaptive authentication) needs the Plus feature plan, billed per monthly active user. Sign-up is closed (administrators invite every user) and MFA is required for all; move to Plus if the organisation's risk assessment asks for it.",
    });
  }

  /** The origin of the managed login pages and of the OAuth endpoints (authorize, token, logout). */
  get signInOrigin(): string {
    return this.domain.baseUrl();
  }

  /**
   * The dashboard's app client, made once the dashboard's URL is known: a public client (no
   * secret) using the authorisation code flow (with PKCE, which the dashboard always sends),
   * returning to the dashboard's /sign-in page only. Its managed login pages get Cognito's
   * default style.
   */
  addDashboardClient(dashboardUrl: string): cognito.UserPoolClient {
    const signInPage = `${dashboardUrl}/sign-in`;
    const client = this.userPool.addClient("Dashboard", {
      userPoolClientName: `${this.namePrefix}-dashboard`,
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes("organisation", "groups"),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [signInPage],
        logoutUrls: [signInPage],
      },
    });
    new cognito.CfnManagedLoginBranding(this, "DashboardSignInStyle", {
      userPoolId: this.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    return client;
  }

  /**
   * The issuer of the pool's tokens, as the JWT authoriser and the API verify it. (The pool's
   * ProviderURL attribute lacks the scheme, and the `iss` claim has it.)
   */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPool.userPoolId}`;
  }
}
