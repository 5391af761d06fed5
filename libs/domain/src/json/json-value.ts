export type JsonPrimitive = null | boolean | number | string;

// `undefined` is admitted in objects only so that interfaces with optional
// properties stay assignable; canonical values never contain it.
export interface JsonObject {
  readonly [key: string]: JsonValue | undefined;
}

export type JsonArray = readonly JsonValue[];

export type JsonValue = JsonPrimitive | JsonArray | JsonObject;
