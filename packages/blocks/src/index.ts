// The building blocks the components share; each is written once here.
export {};
