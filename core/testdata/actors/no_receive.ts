/** Test actor file with a broken default export. */
export default { messages: null };
