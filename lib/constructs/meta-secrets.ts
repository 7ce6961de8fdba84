import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface MetaSecretsProps {
  readonly stage: string;
}

/**
 * The Meta credentials the webhook needs. Values are never in code: the app secret starts as a
 * random placeholder (so signature checks fail closed until an operator stores the real one) and
 * the verify token is generated here and copied into Meta's dashboard.
 */
export class MetaSecrets extends Construct {
  /** Meta App Secret, the HMAC key for `X-Hub-Signature-256`. */
  readonly appSecret: Secret;
  /** Token Meta echoes in the GET subscription handshake. */
  readonly verifyToken: Secret;
  /** Name prefix under which operators create one secret per page / WhatsApp account token. */
  readonly accessTokenPrefix: string;
  /** The HMAC key tracking links are signed with (README "Clicks"); afterchat's own, never Meta's. */
  readonly trackingKey: Secret;

  constructor(scope: Construct, id: string, props: MetaSecretsProps) {
    super(scope, id);

    this.appSecret = new Secret(this, 'AppSecret', {
      description: `afterchat ${props.stage}: Meta App Secret. Placeholder until set with "aws secretsmanager put-secret-value".`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      // Operators typed these values in; losing them breaks every delivery from Meta.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.verifyToken = new Secret(this, 'VerifyToken', {
      description: `afterchat ${props.stage}: webhook verify token; paste it into the Meta app dashboard.`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessTokenPrefix = `afterchat/${props.stage}/tokens/`;

    this.trackingKey = new Secret(this, 'TrackingKey', {
      description: `afterchat ${props.stage}: HMAC key of the tracking links (GET /r/{token}). Rotate by storing {"current": "<new>", "previous": "<old>"}.`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Links already sent stop verifying without it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.appSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Meta issues the App Secret and only its dashboard can reset it, so a Lambda cannot rotate it. Operators rotate it by hand, storing {"current","previous"} during the switch so the webhook accepts both signatures.',
    });
    Validations.of(this.trackingKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Links sent before a rotation must keep verifying until they expire, so the old key has to stay beside the new one; operators rotate it by storing {"current","previous"} (README "Clicks"), which a rotation Lambda replacing the value would break.',
    });
    Validations.of(this.verifyToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The verify token must equal the value typed into Meta's dashboard, so automatic rotation would break the subscription handshake; it is rotated manually in both places.",
    });
  }
}
