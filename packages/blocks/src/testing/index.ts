// Pulumi mocks that know the platform's resources (what AWS returns for each type): `@tap/components/testing`.
export {
  MOCK_ACCOUNT_ID,
  MOCK_ECR_PASSWORD,
  MOCK_REGION,
  echoMocks,
  platformMocks,
  setPlatformMocks,
  type MockStack,
  type MockedCall,
  type MockedResource,
  type PlatformMockOptions,
  type PlatformMocks,
} from './mocks';
