// CloudFormation's template limits (AWS CloudFormation User Guide, "CloudFormation quotas").
export const CFN_LIMITS = {
  resources: 500,
  parameters: 200,
  outputs: 200,
  templateBytes: 1_000_000,
  parameterValueBytes: 4096,
} as const;
