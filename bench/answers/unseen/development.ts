/**
 * DEVELOPMENT part of the unseen-layouts evaluation (see ./spec.ts): the part the answerer may be tuned
 * on. Different products and wording from the held-out part (./held-out.ts), same kinds of layouts.
 */
import type { EvaluationPart } from './spec.js';

export const DEVELOPMENT: EvaluationPart = {
  manuals: [
    {
      id: 'dev-dishwasher',
      title: 'AquaClean 60 Dishwasher — Instructions for Use',
      layout: 'pdfkit-single',
      numbering: 'dot',
      sections: [
        {
          heading: 'Programme overview',
          paragraphs: [
            'ECO 50 °C is the most efficient programme for normally soiled dishes. INTENSIVE 70 °C removes burnt-on food from pans. QUICK 35 °C washes lightly soiled dishes in 30 minutes.',
          ],
        },
        {
          heading: 'Cleaning the filters',
          intro: 'Check the filter system after every ten washes and clean it when you see food remains.',
          steps: [
            'Turn the microfilter anticlockwise and lift it out of the sump.',
            'Pull the coarse filter upward out of the microfilter.',
            'Press the tabs of the fine filter inward and lift it out.',
            'Rinse all three parts under running water and brush out the mesh with a soft brush.',
            'Refit the filters in the reverse order and turn the microfilter clockwise until the arrows line up.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Never run the dishwasher without the filters. Food remains can block the drain pump and damage it.',
              at: 5,
            },
          ],
          after: 'Cleaning the filters takes about five minutes.',
          questions: ['How do I clean the filters?', 'how to clean the filter at the bottom'],
        },
        {
          heading: 'Adding dishwasher salt',
          intro: 'Fill the salt container before the first wash and whenever the salt indicator lights up.',
          steps: [
            'Remove the lower basket and unscrew the cap of the salt container.',
            'Before the first wash only, pour one litre of water into the container.',
            'Fill the container with dishwasher salt using the funnel supplied, up to the rim.',
            'Wipe salt from the thread and screw the cap on tightly.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Use only coarse dishwasher salt. Table salt and cooking salt contain additives that damage the water softener.',
              at: 0,
            },
            {
              kind: 'NOTE',
              text: 'Run a QUICK programme straight after filling so that spilled salt does not corrode the tub.',
              at: 4,
            },
          ],
          questions: ['how do I refill the salt'],
        },
        {
          heading: 'Noise level',
          paragraphs: ['The dishwasher runs at 44 dB(A) in ECO 50 °C. The NIGHT option lowers the level to 41 dB(A).'],
        },
        {
          heading: 'Resetting a programme',
          intro: 'You can cancel a programme that has already started.',
          steps: [
            'Open the door carefully.',
            'Press and hold START for three seconds until the display shows 0:01.',
            'Close the door; the dishwasher pumps out the water in about one minute.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Steam may escape when you open the door during a programme. Stand back until it clears.',
              at: 1,
            },
          ],
          questions: ['how do I cancel a running programme'],
        },
      ],
    },
    {
      id: 'dev-interface',
      title: 'Studio 2i2X USB Audio Interface — User Guide',
      layout: 'chromium-single',
      numbering: 'step',
      sections: [
        {
          heading: 'Front panel',
          paragraphs: [
            'The front panel has two combination inputs for microphones and instruments, a GAIN knob and a halo meter for each, the 48V and INST buttons, the MONITOR knob and a headphone output.',
          ],
        },
        {
          heading: 'Updating the firmware',
          intro: 'Copy the update file from the download page to your desktop and close every audio application.',
          steps: [
            'Connect the interface to the computer with the USB cable supplied.',
            'Open Studio Control and select the interface in the device list.',
            'Click Update firmware and select the file on your desktop.',
            'Wait until Studio Control shows Update complete and the interface restarts.',
          ],
          cautions: [
            {
              kind: 'IMPORTANT',
              text: 'Do not unplug the USB cable or let the computer go to sleep during the update. If the update fails, connect the interface again and Studio Control restarts it.',
              at: 3,
            },
          ],
          after: 'The update takes about one minute.',
          questions: ['How do I update the firmware of the interface?'],
        },
        {
          heading: 'Recording with a condenser microphone',
          intro: 'Condenser microphones need phantom power, which the interface supplies on its XLR inputs.',
          steps: [
            'Turn the GAIN knob of the input fully anticlockwise.',
            'Connect the microphone to input 1 with an XLR cable.',
            'Press the 48V button; it lights red.',
            'Sing or play at your loudest and turn the GAIN knob up until the halo glows green, and amber only on the loudest peaks.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Switch phantom power off before you connect or disconnect a ribbon microphone. Phantom power can destroy the ribbon.',
              at: 2,
            },
          ],
          questions: ['how do I record with a condenser mic', 'how do I turn on phantom power'],
        },
        {
          heading: 'Using the interface with a DAW',
          intro: 'Select the interface as the audio device in your recording software.',
          steps: [
            'Open the audio preferences of your DAW.',
            'Choose Studio 2i2X as both the input and the output device.',
            'Set the buffer size to 128 samples for recording, and raise it for mixing.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'On Windows, select the Studio ASIO driver rather than the Windows audio driver for the lowest latency.',
              at: 2,
            },
          ],
          questions: ['how do I set it up with my DAW'],
        },
      ],
    },
    {
      id: 'dev-printer',
      title: 'PrintForge M3 3D Printer — Operating Manual',
      layout: 'chromium-columns',
      numbering: 'alpha',
      sections: [
        {
          heading: 'Build volume',
          paragraphs: [
            'The M3 prints objects up to 220 × 220 × 250 mm in PLA, PETG and TPU. The nozzle reaches 260 °C and the heated bed 100 °C.',
          ],
        },
        {
          heading: 'Levelling the print bed',
          intro: 'Level the bed after moving the printer and whenever the first layer does not stick evenly.',
          steps: [
            'Heat the bed to 60 °C from Prepare > Preheat PLA.',
            'Select Prepare > Auto home and wait until the nozzle stops at the front left corner.',
            'Slide a sheet of plain paper between the nozzle and the bed.',
            'Turn the levelling wheel under that corner until the paper drags slightly when you move it.',
            'Repeat at the other three corners, then check the first corner again.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'The nozzle and the bed are hot during levelling. Touch only the paper and the levelling wheels.',
              at: 2,
            },
          ],
          after: 'Levelling takes about ten minutes.',
          questions: ['How do I level the bed?', 'how to adjust the bed so the first layer sticks'],
        },
        {
          heading: 'Changing the filament',
          intro: 'Heat the nozzle to the temperature of the filament that is loaded before you remove it.',
          steps: [
            'Press the extruder lever and pull the filament back out of the tube.',
            'Cut the end of the new filament at an angle.',
            'Press the lever and push the new filament through the extruder until it comes out of the nozzle in the new colour.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'Filament that is left loaded in a humid room absorbs moisture and prints with bubbles. Store opened spools in a sealed bag.',
              at: 3,
            },
          ],
          questions: ['how do I change the filament'],
        },
        {
          heading: 'Replacing the nozzle',
          intro: 'Replace the nozzle when it is clogged or worn.',
          steps: [
            'Heat the nozzle to 200 °C.',
            'Hold the heater block with the spanner supplied.',
            'Unscrew the nozzle anticlockwise with the nozzle wrench.',
            'Screw in the new nozzle and tighten it gently while the block is hot.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'The heater block is at 200 °C. Never touch it, and never loosen the nozzle when the block is cold; the thread can break.',
              at: 1,
            },
          ],
          questions: ['How do I replace the nozzle?'],
        },
      ],
    },
    {
      id: 'dev-thermostat',
      title: 'HomeTemp T2 Smart Thermostat — Installation Guide',
      layout: 'pdfkit-columns',
      numbering: 'paren',
      sections: [
        {
          heading: 'Compatibility',
          paragraphs: [
            'The T2 works with most 24 V heating and cooling systems, including gas and oil boilers, heat pumps and air conditioning. It is not compatible with 230 V electric baseboard heaters.',
          ],
        },
        {
          heading: 'Removing the old thermostat',
          intro: 'Switch off the power to the heating system at the circuit breaker.',
          steps: [
            'Take the front of the old thermostat off its base.',
            'Photograph the wiring so you can see which wire goes to which terminal.',
            'Label each wire with the stickers supplied, using the letter of its terminal.',
            'Disconnect the wires and unscrew the old base from the wall.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'If any wire is thick and black or the old thermostat is marked 120 V or 240 V, stop: your system uses mains voltage and the T2 cannot be installed on it.',
              at: 2,
            },
          ],
          questions: ['How do I remove my old thermostat?'],
        },
        {
          heading: 'Connecting to Wi-Fi',
          intro: 'Install the HomeTemp app on your phone and create an account.',
          steps: [
            'Tap Add device in the app and scan the code on the back of the thermostat.',
            'Select your home Wi-Fi network and enter its password.',
            'Wait until the thermostat shows a tick and the app shows Connected.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'The thermostat connects only to 2.4 GHz networks. If your router uses one name for both bands, the app connects to the 2.4 GHz band automatically.',
              at: 2,
            },
          ],
          after: 'Connecting usually takes about two minutes.',
          questions: ['how do I connect the thermostat to wifi'],
        },
        {
          heading: 'Setting a schedule',
          intro: 'A schedule lowers the temperature when you are asleep or out.',
          steps: [
            'Open Schedule in the app and choose a day.',
            'Tap the timeline to add a period and set its temperature.',
            'Copy the day to the other weekdays with Copy to.',
          ],
          cautions: [],
          questions: ['how do I set a heating schedule'],
        },
      ],
    },
    {
      id: 'dev-amp',
      title: 'Valvetone 30 Guitar Amplifier — Owner’s Manual',
      layout: 'chromium-columns',
      numbering: 'step',
      sections: [
        {
          heading: 'Controls',
          paragraphs: [
            'The front panel has GAIN, BASS, MIDDLE, TREBLE, REVERB and MASTER controls. The rear panel has the speaker outputs, the effects loop and the footswitch jack.',
          ],
        },
        {
          heading: 'Replacing the power valves',
          intro: 'Replace both power valves together with a matched pair.',
          steps: [
            'Switch the amplifier off, unplug it and wait at least 30 minutes.',
            'Remove the six screws of the rear panel and take the panel off.',
            'Release the retaining clip of each valve and pull the valve straight out, rocking it gently.',
            'Insert the new valves, lining the key on the base up with the socket.',
            'Refit the retaining clips and the rear panel.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Lethal voltages are present inside the amplifier even when it is unplugged. Never touch the circuit board or the capacitors.',
              at: 0,
            },
            {
              kind: 'IMPORTANT',
              text: 'After changing power valves, have the bias checked by a qualified technician before you play at high volume.',
              at: 5,
            },
          ],
          questions: ['How do I replace the power valves?', 'how do i change the tubes'],
        },
        {
          heading: 'Using the effects loop',
          intro: 'Connect time-based effects such as delay in the effects loop rather than in front of the amplifier.',
          steps: [
            'Connect SEND to the input of the effect.',
            'Connect the output of the effect to RETURN.',
            'Set the effect to 100 percent wet if it has a mix control.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'The loop works at line level. Pedals built for guitar level may distort; reduce their input level.',
              at: 3,
            },
          ],
          questions: ['how do I use the effects loop'],
        },
        {
          heading: 'Connecting a speaker cabinet',
          intro: 'The amplifier has outputs for 4, 8 and 16 ohm speakers.',
          steps: [
            'Switch the amplifier off.',
            'Connect the cabinet to the output that matches its impedance.',
            'Switch the amplifier on and then take it out of STANDBY.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'Never switch the amplifier on without a speaker connected. Running without a load damages the output transformer.',
              at: 3,
            },
          ],
          after: 'The valves need about 30 seconds to warm up after you switch on.',
          questions: ['how do I connect an extension cabinet'],
        },
      ],
    },
    {
      id: 'dev-iron',
      title: 'SteamLine Pro Iron — Care Guide',
      layout: 'pdfkit-single',
      numbering: 'step',
      sections: [
        {
          heading: 'Technical data',
          paragraphs: ['Power 2,600 W. Water tank 350 ml. Continuous steam up to 50 g/min, steam boost 220 g.'],
        },
        {
          heading: 'Self-cleaning',
          intro: 'Use the self-clean function once a month to flush scale out of the steam chamber.',
          steps: [
            'Fill the water tank to the MAX mark and set the steam control to 0.',
            'Plug the iron in, set the temperature dial to MAX and wait until the light goes out.',
            'Unplug the iron and hold it horizontally over the sink.',
            'Press and hold the CALC-CLEAN button and gently shake the iron until the tank is empty.',
            'Plug the iron in again and let it heat for two minutes to dry the soleplate.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Boiling water and steam come out of the soleplate. Keep your hands away from the soleplate and hold the iron well away from your body.',
              at: 3,
            },
          ],
          after: 'Self-cleaning takes about five minutes.',
          questions: ['How do I use the self clean function?', 'how to remove scale from the iron'],
        },
        {
          heading: 'Storing the iron',
          intro: 'Let the iron cool down completely before you put it away.',
          steps: [
            'Empty the water tank.',
            'Wind the cord round the cord storage at the back.',
            'Store the iron standing on its heel.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'Storing the iron on its soleplate with water in the tank can cause leaks and stains on the soleplate.',
              at: 3,
            },
          ],
          questions: ['how should I store the iron'],
        },
      ],
    },
    {
      // Added after the held-out part was committed: a narrow two-column pdfkit layout with "1." steps
      // (every line of a caution wraps short) and questions asked with phrasal verbs.
      id: 'dev-blender',
      title: 'PowerMix 900 Blender — Owner Guide',
      layout: 'pdfkit-columns',
      numbering: 'dot',
      sections: [
        {
          heading: 'Motor base',
          paragraphs: [
            'The motor base holds a 900 W motor with six speeds and a PULSE key. The base weighs 3.4 kg. The cord stores in the recess underneath.',
          ],
        },
        {
          heading: 'Fitting and removing the jug',
          intro: 'Unplug the blender from the mains before you fit or remove the jug.',
          steps: [
            'Place the jug on the motor base with the handle pointing to the right.',
            'Turn the jug clockwise until it clicks into the safety lock.',
            'To remove the jug, turn it anticlockwise and lift it straight up off the base.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'The blade assembly is very sharp. Hold the jug by its handle only and never reach into it while it sits on the base, even when the motor is stopped.',
              at: 3,
            },
          ],
          questions: ['how do I take the jug off the base'],
        },
        {
          heading: 'Crushing ice',
          intro: 'Crush no more than eight ice cubes at a time, with at least 100 ml of liquid in the jug.',
          steps: [
            'Put the ice cubes and the liquid into the jug and close the lid.',
            'Press PULSE five times for one second each.',
            'Select speed 6 and run the blender for no longer than 30 seconds.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Never crush ice in an empty jug. Dry ice cubes scratch the inner wall and can crack the jug, which then leaks during blending.',
              at: 0,
            },
          ],
          after: 'Crushing ice takes less than a minute.',
          questions: ['How do I crush ice?'],
        },
        {
          heading: 'Cleaning the blade assembly',
          intro: 'Clean the blade assembly after every use so that food does not dry on the seal.',
          steps: [
            'Unscrew the base ring from the bottom of the jug and pull the blade assembly out.',
            'Wash the blades and the seal in warm soapy water with a brush.',
            'Let all parts dry completely before you put the blade assembly back into the jug.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'The jug and the lid are dishwasher safe on the top rack; the blade assembly is not, because the heat hardens the rubber seal and it no longer closes tightly.',
              at: 3,
            },
          ],
          questions: ['how do I get the blades out for cleaning', 'how to clean the blades'],
        },
      ],
    },
    {
      // Added after the held-out part was committed: Chromium, single column, "(1)" numbering; a
      // procedure whose caution names words of another procedure in passing.
      id: 'dev-mower',
      title: 'GreenRobo R300 Robotic Mower — User Manual',
      layout: 'chromium-single',
      numbering: 'paren',
      sections: [
        {
          heading: 'Cutting height',
          paragraphs: [
            'The cutting height can be set from 20 to 60 mm in steps of 5 mm. The mower cuts a 22 cm wide strip.',
          ],
        },
        {
          heading: 'Resetting the mower',
          intro: 'Reset the mower when it no longer responds to the keypad or the app.',
          steps: [
            'Lift the stop cover and hold the power key for ten seconds until the display goes dark.',
            'Wait five seconds and press the power key again.',
            'Enter your PIN code and confirm with OK.',
          ],
          cautions: [
            {
              kind: 'CAUTION',
              text: 'A reset erases the mowing schedule, the boundary wire settings and the blade change reminder. Write the schedule down before you reset.',
              at: 0,
            },
          ],
          questions: ['how do I reset the mower'],
        },
        {
          heading: 'Replacing the blades',
          intro: 'Turn the blades over or replace them when the grass is torn rather than cut.',
          steps: [
            'Switch the mower off with the power key and wear protective gloves.',
            'Turn the mower over and place it upside down on a soft surface.',
            'Remove the screw of each blade with a Phillips screwdriver.',
            'Fit a new blade with a new screw and tighten it until the blade can still swing freely.',
          ],
          cautions: [
            {
              kind: 'WARNING',
              text: 'Always switch the mower off before you turn it over. The blades start automatically when the mower is on.',
              at: 2,
            },
            {
              kind: 'IMPORTANT',
              text: 'Replace all three blades and screws at the same time so that the blade disc stays balanced.',
              at: 4,
            },
          ],
          questions: ['How do I change the blades?'],
        },
        {
          heading: 'Winter storage',
          intro: 'Store the mower indoors in a dry, frost-free place during the winter.',
          steps: [
            'Charge the battery fully before storage.',
            'Clean the underside of the mower with a brush and a damp cloth.',
            'Disconnect the charging station from the mains and take it indoors too.',
          ],
          cautions: [
            {
              kind: 'NOTE',
              text: 'Leave the boundary wire in the ground over the winter; it is not damaged by frost.',
              at: 3,
            },
          ],
          after: 'Preparing the mower for winter takes about half an hour.',
          questions: ['how do I store the mower over winter'],
        },
      ],
    },
  ],
  followUps: [
    {
      manual: 'dev-dishwasher',
      first: 'How do I clean the filters?',
      followUp: 'and how long does that take?',
      expect: 'about five minutes',
    },
    {
      manual: 'dev-interface',
      first: 'How do I update the firmware of the interface?',
      followUp: 'how long does it take?',
      expect: 'about one minute',
    },
    {
      manual: 'dev-printer',
      first: 'How do I level the bed?',
      followUp: 'how long does that take?',
      expect: 'about ten minutes',
    },
    {
      manual: 'dev-printer',
      first: 'How do I replace the nozzle?',
      followUp: 'what about the filament?',
      expect: 'Cut the end of the new filament at an angle',
    },
    {
      manual: 'dev-thermostat',
      first: 'how do I connect the thermostat to wifi',
      followUp: 'and how long does that take?',
      expect: 'about two minutes',
    },
    {
      manual: 'dev-iron',
      first: 'How do I use the self clean function?',
      followUp: 'how long does it take?',
      expect: 'about five minutes',
    },
    {
      manual: 'dev-amp',
      first: 'how do I connect an extension cabinet',
      followUp: 'and how long do the valves take to warm up?',
      expect: 'about 30 seconds',
    },
    {
      manual: 'dev-dishwasher',
      first: 'How do I clean the filters?',
      followUp: 'what about the salt?',
      expect: 'Fill the container with dishwasher salt',
    },
    {
      manual: 'dev-blender',
      first: 'How do I crush ice?',
      followUp: 'and how long does that take?',
      expect: 'less than a minute',
    },
    {
      manual: 'dev-mower',
      first: 'how do I store the mower over winter',
      followUp: 'how long does it take?',
      expect: 'about half an hour',
    },
  ],
  multiPart: [
    {
      manual: 'dev-dishwasher',
      question: 'How do I clean the filters, refill the salt and cancel a running programme?',
      parts: [
        'Pull the coarse filter upward out of the microfilter',
        'Fill the container with dishwasher salt',
        'Press and hold START for three seconds',
      ],
    },
    {
      manual: 'dev-printer',
      question: 'How do I level the bed and then replace the nozzle?',
      parts: ['Turn the levelling wheel under that corner', 'Unscrew the nozzle anticlockwise'],
    },
    {
      manual: 'dev-blender',
      question: 'how do I crush ice? and how do I connect it to my phone?',
      parts: ['Press PULSE five times', null],
    },
    {
      manual: 'dev-mower',
      question: 'How do I reset the mower and change the blades?',
      parts: ['hold the power key for ten seconds', 'Remove the screw of each blade'],
    },
  ],
  absent: [
    { manual: 'dev-dishwasher', question: 'How do I install the dishwasher under the counter?' },
    { manual: 'dev-dishwasher', question: 'how do I connect it to the app' },
    { manual: 'dev-interface', question: 'How do I use it with an iPad?' },
    { manual: 'dev-interface', question: 'how do I connect midi devices' },
    { manual: 'dev-printer', question: 'How do I print over wifi?' },
    { manual: 'dev-printer', question: 'how do I install a different firmware' },
    { manual: 'dev-thermostat', question: 'How do I pair it with Alexa?' },
    { manual: 'dev-thermostat', question: 'how do I change the battery' },
    { manual: 'dev-amp', question: 'How do I record directly from the amp to a computer?' },
    { manual: 'dev-amp', question: 'how do I replace the fuse' },
    { manual: 'dev-iron', question: 'How do I iron silk?' },
    { manual: 'dev-iron', question: 'how do I replace the power cord' },
    { manual: 'dev-blender', question: 'How do I make soup with it?' },
    { manual: 'dev-mower', question: 'how do I install the boundary wire' },
  ],
};
