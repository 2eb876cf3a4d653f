/** A private helper next to test tools: files starting with "_" are not loaded as tools. */
export const helper = 1;
