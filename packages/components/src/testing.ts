// `@tap/components/testing`: the Pulumi mocks that know the platform's resources, for unit tests of stacks built from
// the components.
export * from '@tap/blocks/testing';
