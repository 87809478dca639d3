import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What a security review asks of a Lambda function the library creates (the rooms provider, the calendar link's
 * validation, the drift monitor), named as aws-cdk-lib's `lambda.FunctionOptions` names it. Whatever is set, the
 * function's role may write to its own log group only (no AWS managed policy).
 */
export interface HandlerSecurityOptions {
  /**
   * The log group the function writes to. Its role may create streams and put events in this log group only. Its
   * retention and encryption are the log group's own: `logRetention` and `logEncryptionKey` cannot be given with it.
   *
   * @default - a log group of the construct's own, kept for `logRetention` and encrypted with `logEncryptionKey`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The KMS key that encrypts the function's log group at rest (the logs name rooms and their mailboxes). CloudWatch
   * Logs must be allowed to use it: the key policy lets the principal `logs.<region>.amazonaws.com` use the key for
   * log groups of this account ("Encrypt log data in CloudWatch Logs using AWS Key Management Service", CloudWatch
   * Logs User Guide); the library does not change the key's policy.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * The VPC the function runs in. The subnets need a route to the internet (a NAT gateway): the handlers call A4B
   * and Microsoft Graph, which have no VPC endpoints, and answer CloudFormation through a pre-signed S3 URL. The
   * role gets the network-interface permissions Lambda needs, as an inline statement.
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` the function runs.
   *
   * @default - the VPC's private subnets with egress, as `lambda.Function` chooses them
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the function in `vpc`; they must allow outbound HTTPS.
   *
   * @default - a new security group that allows all outbound traffic, as `lambda.Function` makes it
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The Lambda runtime: Node.js 22 or later (the handlers are bundled for Node 22).
   *
   * @default - nodejs24.x (nodejs22.x is deprecated on 2027-04-30)
   */
  readonly runtime?: lambda.Runtime;
}
