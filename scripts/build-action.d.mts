/** The committed bundle's path, `action/dist/index.js`. */
export declare const ACTION_BUNDLE: string
/** The bundle's text, built from the current sources (nothing is written). */
export declare function bundleAction(): Promise<string>
