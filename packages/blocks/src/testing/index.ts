// Pulumi mocks that know the platform's resources (what AWS returns for each type): `@tap/components/testing`.
export {};
